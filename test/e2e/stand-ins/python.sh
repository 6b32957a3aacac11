# Python stand-ins (sourced by test/e2e/docker-setup.sh's all_images): Debian bookworm's Python 3.11 as
# python:3.11 (with pip, venv, headers and the buildpack-deps tools) and python:3.11-slim (python3,
# venv and pip, on debian:bookworm-slim like the official slim image). The official images keep
# Python in /usr/local, outside Debian's EXTERNALLY-MANAGED marker, so pip installs there; the
# stand-ins drop the marker to match, and link python and pip as the official images name them.
. "$(dirname "${BASH_SOURCE[0]}")/debian-stand-in.bash"
# shellcheck shell=bash disable=SC2034 disable=SC2016
PYTHON_TAGS=(python:3.11 python:3.11-bookworm)
PYTHON_SLIM_TAGS=(python:3.11-slim python:3.11-slim-bookworm)
PY_SHAPE='ln -sf /usr/bin/python3 /usr/local/bin/python; ln -sf /usr/bin/pip3 /usr/local/bin/pip
  rm -f /usr/lib/python3*/EXTERNALLY-MANAGED'
build_debian_stand_in PYTHON_TAGS "$IMG_ROOTFS" "python3 python3-venv python3-pip python3-dev $BUILDPACK_PACKAGES" "$PY_SHAPE" 'CMD ["python3"]'
build_debian_stand_in PYTHON_SLIM_TAGS "$IMG_ROOTFS_SLIM" 'python3 python3-venv python3-pip' "$PY_SHAPE" 'CMD ["python3"]'
