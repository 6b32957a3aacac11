FROM ubuntu:22.04
ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    LC_ALL=C.UTF-8
RUN apt-get update && apt-get install -y \
    build-essential \
    ca-certificates \
    curl \
    wget \
    git \
    gnupg \
    lsb-release \
    software-properties-common \
    apt-transport-https \
    unzip \
    zip \
    xz-utils \
    jq \
    less \
    vim \
    nano \
    htop \
    net-tools \
    iputils-ping \
    dnsutils \
    netcat-openbsd \
    openssh-client \
    rsync \
    tzdata \
    locales \
    sudo \
    pkg-config \
    libssl-dev \
    libffi-dev \
    zlib1g-dev \
    libbz2-dev \
    libreadline-dev \
    libsqlite3-dev \
    libncurses5-dev \
    libxml2-dev \
    libxslt1-dev \
    libyaml-dev \
    python3 \
    python3-pip \
    python3-venv \
    postgresql-client \
    mysql-client \
    redis-tools
RUN curl -fsSL https://dl.google.com/go/go1.19.13.linux-amd64.tar.gz -o /tmp/go.tgz \
 && tar -C /usr/local -xzf /tmp/go.tgz \
 && rm /tmp/go.tgz
ENV PATH=/usr/local/go/bin:/root/go/bin:$PATH
RUN apt-get update && apt-get install -y \
    gcc-multilib \
    g++ \
    make \
    cmake \
    autoconf \
    automake \
    libtool \
    protobuf-compiler \
    libprotobuf-dev
RUN pip3 install --no-cache-dir \
    awscli==1.29.0 \
    yq==3.2.3 \
    pre-commit==3.3.3
RUN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.31.0 \
 && go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.3.0 \
 && go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.54.2
WORKDIR /workspace
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/benchsvc .
RUN locale-gen en_US.UTF-8 \
 && ln -fs /usr/share/zoneinfo/Etc/UTC /etc/localtime \
 && dpkg-reconfigure -f noninteractive tzdata
RUN useradd -m -s /bin/bash dev \
 && echo "dev ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/dev
EXPOSE 8080 9090
CMD ["benchsvc"]
