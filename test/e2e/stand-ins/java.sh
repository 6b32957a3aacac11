# Java stand-ins (sourced by test/e2e/docker-setup.sh's all_images): Debian bookworm's OpenJDK 17 as
# eclipse-temurin:17-jdk (openjdk-17-jdk-headless: javac, jar, jlink, jdeps) and
# eclipse-temurin:17-jre (openjdk-17-jre-headless). The real images are Ubuntu; both stand-ins
# are on the same Debian rootfs, as the real pair shares one Ubuntu.
. "$(dirname "${BASH_SOURCE[0]}")/debian-stand-in.bash"
# shellcheck shell=bash disable=SC2034
JDK_TAGS=(eclipse-temurin:17-jdk eclipse-temurin:17)
JRE_TAGS=(eclipse-temurin:17-jre)
build_debian_stand_in JDK_TAGS "$IMG_ROOTFS" openjdk-17-jdk-headless 'java -version 2>&1 | head -n 1 >/etc/slimfile-java-version' \
  'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' 'CMD ["jshell"]'
build_debian_stand_in JRE_TAGS "$IMG_ROOTFS" openjdk-17-jre-headless 'java -version 2>&1 | head -n 1 >/etc/slimfile-java-version' \
  'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' 'CMD ["bash"]'
