# A development container for the Go services: every tool a developer or CI job may need.
FROM ubuntu:22.04 AS devtools
ARG DEBIAN_FRONTEND=noninteractive
ARG USERNAME=dev
ARG USER_UID=1000
ARG USER_GID=${USER_UID}
ENV LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      autoconf \
      automake \
      bash-completion \
      bc \
      bison \
      build-essential \
      bzip2 \
      ca-certificates \
      clang \
      clang-format \
      cmake \
      cpio \
      curl \
      dbus \
      dnsutils \
      dos2unix \
      file \
      flex \
      g++ \
      gawk \
      gcc \
      gdb \
      gettext \
      git \
      git-lfs \
      gnupg \
      graphviz \
      gzip \
      htop \
      iproute2 \
      iputils-ping \
      jq \
      less \
      libbz2-dev \
      libcurl4-openssl-dev \
      libedit-dev \
      libevent-dev \
      libffi-dev \
      libgdbm-dev \
      libgmp-dev \
      liblzma-dev \
      libncurses5-dev \
      libnss3-dev \
      libpcre3-dev \
      libpq-dev \
      libreadline-dev \
      libsqlite3-dev \
      libssl-dev \
      libtool \
      libxml2-dev \
      libxslt1-dev \
      libyaml-dev \
      llvm \
      locales \
      lsof \
      make \
      man-db \
      mercurial \
      nano \
      netcat-openbsd \
      net-tools \
      ninja-build \
      openssh-client \
      openssl \
      patch \
      pkg-config \
      procps \
      psmisc \
      python3 \
      python3-dev \
      python3-pip \
      python3-venv \
      rsync \
      shellcheck \
      socat \
      sqlite3 \
      strace \
      subversion \
      sudo \
      tar \
      tcpdump \
      telnet \
      time \
      tmux \
      tree \
      tzdata \
      unzip \
      valgrind \
      vim \
      wget \
      xz-utils \
      zip \
      zlib1g-dev \
      zsh \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y \
    autoconf-doc \
    automake-doc \
    bash-completion-doc \
    bc-doc \
    bison-doc \
    build-essential-doc \
    bzip2-doc \
    ca-certificates-doc \
    clang-doc \
    clang-format-doc \
    cmake-doc \
    cpio-doc \
    curl-doc \
    dbus-doc \
    dnsutils-doc \
    dos2unix-doc \
    file-doc \
    flex-doc \
    g++-doc \
    gawk-doc \
    gcc-doc \
    gdb-doc \
    gettext-doc \
    git-doc \
    git-lfs-doc \
    gnupg-doc \
    graphviz-doc \
    gzip-doc \
    htop-doc \
    iproute2-doc \
    iputils-ping-doc \
    jq-doc \
    less-doc \
    libbz2-dev-doc \
    libcurl4-openssl-dev-doc \
    libedit-dev-doc \
    libevent-dev-doc \
    libffi-dev-doc \
    libgdbm-dev-doc \
    libgmp-dev-doc \
    liblzma-dev-doc \
    libncurses5-dev-doc \
    libnss3-dev-doc \
    libpcre3-dev-doc \
    libpq-dev-doc \
    libreadline-dev-doc \
    libsqlite3-dev-doc \
    libssl-dev-doc \
    libtool-doc \
    libxml2-dev-doc \
    libxslt1-dev-doc \
    libyaml-dev-doc \
    llvm-doc \
    locales-doc \
    lsof-doc \
    make-doc \
    man-db-doc \
    mercurial-doc \
    nano-doc \
    netcat-openbsd-doc \
    manpages-dev
RUN curl -fsSL https://go.dev/dl/go1.19.13.linux-amd64.tar.gz | tar -C /usr/local -xz
ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:$PATH
RUN go install golang.org/x/tools/gopls@v0.13.2 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/go-delve/delve/cmd/dlv@v1.21.0 \
 && rm -rf /root/.cache/go-build
RUN go install honnef.co/go/tools/cmd/staticcheck@2023.1.5 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.54.2 \
 && rm -rf /root/.cache/go-build
RUN go install golang.org/x/vuln/cmd/govulncheck@v1.0.1 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/swaggo/swag/cmd/swag@v1.16.2 \
 && rm -rf /root/.cache/go-build
RUN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.31.0 \
 && rm -rf /root/.cache/go-build
RUN go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.3.0 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/bufbuild/buf/cmd/buf@v1.26.1 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/air-verse/air@v1.49.0 \
 && rm -rf /root/.cache/go-build
RUN go install mvdan.cc/gofumpt@v0.5.0 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/segmentio/golines@v0.11.0 \
 && rm -rf /root/.cache/go-build
RUN go install gotest.tools/gotestsum@v1.10.1 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/vektra/mockery/v2@v2.33.2 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/golang/mock/mockgen@v1.6.0 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/pressly/goose/v3/cmd/goose@v3.15.0 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/sqlc-dev/sqlc/cmd/sqlc@v1.22.0 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/goreleaser/goreleaser@v1.21.2 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/cosmtrek/air@v1.44.0 \
 && rm -rf /root/.cache/go-build
RUN go install github.com/fatih/gomodifytags@v1.16.0 \
 && rm -rf /root/.cache/go-build
RUN groupadd --gid ${USER_GID} ${USERNAME} \
 && useradd --uid ${USER_UID} --gid ${USER_GID} -m -s /bin/zsh ${USERNAME} \
 && echo "${USERNAME} ALL=(root) NOPASSWD:ALL" > /etc/sudoers.d/${USERNAME} \
 && chmod 0440 /etc/sudoers.d/${USERNAME}
ENV TOOL_OPTION_0=value-0
ENV TOOL_OPTION_1=value-1
ENV TOOL_OPTION_2=value-2
ENV TOOL_OPTION_3=value-3
ENV TOOL_OPTION_4=value-4
ENV TOOL_OPTION_5=value-5
ENV TOOL_OPTION_6=value-6
ENV TOOL_OPTION_7=value-7
ENV TOOL_OPTION_8=value-8
ENV TOOL_OPTION_9=value-9
ENV TOOL_OPTION_10=value-10
ENV TOOL_OPTION_11=value-11
ENV TOOL_OPTION_12=value-12
ENV TOOL_OPTION_13=value-13
ENV TOOL_OPTION_14=value-14
ENV TOOL_OPTION_15=value-15
ENV TOOL_OPTION_16=value-16
ENV TOOL_OPTION_17=value-17
ENV TOOL_OPTION_18=value-18
ENV TOOL_OPTION_19=value-19
ENV TOOL_OPTION_20=value-20
ENV TOOL_OPTION_21=value-21
ENV TOOL_OPTION_22=value-22
ENV TOOL_OPTION_23=value-23
ENV TOOL_OPTION_24=value-24
ENV TOOL_OPTION_25=value-25
ENV TOOL_OPTION_26=value-26
ENV TOOL_OPTION_27=value-27
ENV TOOL_OPTION_28=value-28
ENV TOOL_OPTION_29=value-29
ENV TOOL_OPTION_30=value-30
ENV TOOL_OPTION_31=value-31
ENV TOOL_OPTION_32=value-32
ENV TOOL_OPTION_33=value-33
ENV TOOL_OPTION_34=value-34
ENV TOOL_OPTION_35=value-35
ENV TOOL_OPTION_36=value-36
ENV TOOL_OPTION_37=value-37
ENV TOOL_OPTION_38=value-38
ENV TOOL_OPTION_39=value-39
RUN echo 'alias ll="ls -la"' >> /etc/zsh/zshrc
RUN echo 'alias gs="git status"' >> /etc/zsh/zshrc
RUN echo 'alias gd="git diff"' >> /etc/zsh/zshrc
RUN echo 'alias gl="git log --oneline --graph"' >> /etc/zsh/zshrc
RUN echo 'alias gt="go test ./..."' >> /etc/zsh/zshrc
RUN echo 'alias gb="go build ./..."' >> /etc/zsh/zshrc
RUN echo 'alias gv="go vet ./..."' >> /etc/zsh/zshrc
RUN echo 'alias k="kubectl"' >> /etc/zsh/zshrc
RUN echo 'alias dc="docker compose"' >> /etc/zsh/zshrc
RUN echo 'alias tf="terraform"' >> /etc/zsh/zshrc
ENV TOOL_OPTION_40=value-40
ENV TOOL_OPTION_41=value-41
ENV TOOL_OPTION_42=value-42
ENV TOOL_OPTION_43=value-43
ENV TOOL_OPTION_44=value-44
ENV TOOL_OPTION_45=value-45
ENV TOOL_OPTION_46=value-46
ENV TOOL_OPTION_47=value-47
ENV TOOL_OPTION_48=value-48
ENV TOOL_OPTION_49=value-49
ENV TOOL_OPTION_50=value-50
ENV TOOL_OPTION_51=value-51
ENV TOOL_OPTION_52=value-52
ENV TOOL_OPTION_53=value-53
ENV TOOL_OPTION_54=value-54
ENV TOOL_OPTION_55=value-55
ENV TOOL_OPTION_56=value-56
ENV TOOL_OPTION_57=value-57
ENV TOOL_OPTION_58=value-58
ENV TOOL_OPTION_59=value-59
ENV TOOL_OPTION_60=value-60
ENV TOOL_OPTION_61=value-61
ENV TOOL_OPTION_62=value-62
ENV TOOL_OPTION_63=value-63
ENV TOOL_OPTION_64=value-64
ENV TOOL_OPTION_65=value-65
ENV TOOL_OPTION_66=value-66
ENV TOOL_OPTION_67=value-67
ENV TOOL_OPTION_68=value-68
ENV TOOL_OPTION_69=value-69
ENV TOOL_OPTION_70=value-70
ENV TOOL_OPTION_71=value-71
ENV TOOL_OPTION_72=value-72
ENV TOOL_OPTION_73=value-73
ENV TOOL_OPTION_74=value-74
ENV TOOL_OPTION_75=value-75
ENV TOOL_OPTION_76=value-76
ENV TOOL_OPTION_77=value-77
ENV TOOL_OPTION_78=value-78
ENV TOOL_OPTION_79=value-79
ENV TOOL_OPTION_80=value-80
ENV TOOL_OPTION_81=value-81
ENV TOOL_OPTION_82=value-82
ENV TOOL_OPTION_83=value-83
ENV TOOL_OPTION_84=value-84
ENV TOOL_OPTION_85=value-85
ENV TOOL_OPTION_86=value-86
ENV TOOL_OPTION_87=value-87
ENV TOOL_OPTION_88=value-88
ENV TOOL_OPTION_89=value-89
ENV TOOL_OPTION_90=value-90
ENV TOOL_OPTION_91=value-91
ENV TOOL_OPTION_92=value-92
ENV TOOL_OPTION_93=value-93
ENV TOOL_OPTION_94=value-94
ENV TOOL_OPTION_95=value-95
ENV TOOL_OPTION_96=value-96
ENV TOOL_OPTION_97=value-97
ENV TOOL_OPTION_98=value-98
ENV TOOL_OPTION_99=value-99
ENV TOOL_OPTION_100=value-100
ENV TOOL_OPTION_101=value-101
ENV TOOL_OPTION_102=value-102
ENV TOOL_OPTION_103=value-103
ENV TOOL_OPTION_104=value-104
ENV TOOL_OPTION_105=value-105
ENV TOOL_OPTION_106=value-106
ENV TOOL_OPTION_107=value-107
ENV TOOL_OPTION_108=value-108
ENV TOOL_OPTION_109=value-109
RUN mkdir -p /home/${USERNAME}/.config/{gopls,golangci,air} \
 && chown -R ${USERNAME}:${USERNAME} /home/${USERNAME}/.config
WORKDIR /workspace
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/benchsvc .
USER ${USERNAME}
CMD ["zsh"]
