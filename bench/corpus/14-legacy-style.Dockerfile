from golang:1.19
maintainer Jane Doe <jane@example.com>
env GOPATH /go
env APP_HOME /go/src/example.com/benchsvc
run mkdir -p $APP_HOME
workdir $APP_HOME
add . $APP_HOME
run go get -d -v ./...
run go install -v ./...
onbuild copy . /go/src/app
onbuild run go install -v ./...
expose 8080
entrypoint /go/bin/benchsvc
cmd --port 8080
cmd ["--port", "8080"]
healthcheck cmd curl -f http://localhost:8080/healthz || exit 1
workdir relative/dir
user 1000:1000
shell ["/bin/bash", "-c"]
run echo done
