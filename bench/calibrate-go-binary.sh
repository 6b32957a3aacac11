#!/usr/bin/env bash
# Regenerates server/src/analysis/languages/go/calibration/go-binary-calibration.json.
#
# Usage: bench/calibrate-go-binary.sh [OUTPUT.json]
#   Without an argument the JSON is printed to stdout; progress goes to stderr.
#
# Needs: go (Debian bookworm's golang-go, i.e. Go 1.19, was used for the
# checked-in figures), node (for assembling the JSON), du, file, ldd, gcc for
# the cgo variants. Optional: Debian's golang-*-dev source packages under
# /usr/share/gocode for the third-party data points (skipped when missing):
#   golang-google-grpc-dev golang-github-gorilla-mux-dev
#   golang-github-spf13-cobra-dev golang-github-sirupsen-logrus-dev
#   golang-gopkg-yaml.v3-dev golang-github-mattn-go-sqlite3-dev
#   golang-github-joho-godotenv-dev golang-github-gin-gonic-gin-dev
#   golang-github-spf13-viper-dev golang-github-coreos-bbolt-dev
#
# Environment knobs:
#   FULL_REBUILD_PROGRAMS  space separated programs whose build cache is also
#                          measured with `go build -a` (approximates Go >= 1.20,
#                          which ships no precompiled standard library;
#                          set but empty: none).
#   NAIVE_PROGRAMS         space separated programs whose naive build cache is
#                          measured (default: all). From Go 1.20 each of those
#                          builds compiles the standard library from scratch
#                          (twice: cgo on and off), minutes per program on 2 cores.
#   SKIP_THIRD_PARTY=1     skip the /usr/share/gocode programs.
#   KEEP_WORK=1            keep the temp dir (its path is printed on stderr).
#
# All sample programs are written to a temp dir; nothing in the repo is
# touched except the output file given as $1.
set -euo pipefail

OUT="${1:-}"
FULL_REBUILD_PROGRAMS="${FULL_REBUILD_PROGRAMS-hello http-server web-service grpc-server}"
GOCODE=/usr/share/gocode

command -v go >/dev/null || { echo "go not found (apt-get install -y golang-go)" >&2; exit 1; }
command -v node >/dev/null || { echo "node not found" >&2; exit 1; }

WORK="$(mktemp -d -t slimfile-gocal.XXXXXX)"
if [[ "${KEEP_WORK:-}" == 1 ]]; then
  echo "work dir: $WORK" >&2
else
  trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
fi
RES="$WORK/results.tsv"
: >"$RES"

# Pin everything that influences the output and keep the network out of it.
export GOOS=linux GOARCH=amd64 GOPROXY=off GOSUMDB=off GOFLAGS= GOWORK=off
export GOCACHE="$WORK/cache-shared"
export GOPATH="$WORK/gopath"
unset GOAMD64 GOEXPERIMENT 2>/dev/null || true

log() { echo "[calibrate] $*" >&2; }
rec() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RES"; }

# ---------------------------------------------------------------- programs --
# prog NAME MODE [IMPORTS...]  (source on stdin)
#   MODE=mod    : module mode, standard library only (go.mod written)
#   MODE=gopath : GOPATH mode against /usr/share/gocode (third party)
declare -A MODE TAGS CGO
PROGRAMS=()
prog() {
  local name="$1" mode="$2" dir="$WORK/src/$1"
  mkdir -p "$dir"
  cat >"$dir/main.go"
  if [[ "$mode" == mod ]]; then
    printf 'module example.com/%s\n\ngo 1.19\n' "$name" >"$dir/go.mod"
  fi
  MODE[$name]="$mode"; TAGS[$name]="${TAGS[$name]:-}"; CGO[$name]="${CGO[$name]:-0}"
  PROGRAMS+=("$name")
}

prog hello mod <<'EOF'
package main

import "fmt"

func main() {
	fmt.Println("hello")
}
EOF

prog minimal mod <<'EOF'
package main

func main() {
	println("hello")
}
EOF

HTTP_SERVER_SRC='package main

import (
	"fmt"
	"log"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		fmt.Fprintf(w, "Hello %s\n", name)
	})
	log.Fatal(http.ListenAndServe(":3000", nil))
}
'
prog http-server mod <<<"$HTTP_SERVER_SRC"

prog http-client mod <<'EOF'
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	resp, err := http.Get("https://example.com/")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	n, _ := io.Copy(os.Stdout, resp.Body)
	fmt.Println(resp.Status, n)
}
EOF

prog crypto-tls mod <<'EOF'
package main

import (
	"crypto/tls"
	"fmt"
	"io"
)

func main() {
	conn, err := tls.Dial("tcp", "example.com:443", &tls.Config{ServerName: "example.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n")
	b, _ := io.ReadAll(conn)
	fmt.Println(len(b), conn.ConnectionState().Version)
}
EOF

prog encoding-json mod <<'EOF'
package main

import (
	"encoding/json"
	"fmt"
)

type Item struct {
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags,omitempty"`
}

func main() {
	b, _ := json.Marshal(Item{Name: "x", Price: 1.5, Tags: []string{"a"}})
	var back Item
	if err := json.Unmarshal(b, &back); err != nil {
		fmt.Println(err)
	}
	fmt.Println(string(b), back.Name)
}
EOF

prog text-template mod <<'EOF'
package main

import (
	"fmt"
	"os"
	"text/template"
)

func main() {
	t := template.Must(template.New("t").Parse("Hello {{.Name}}, you have {{len .Items}} items\n"))
	if err := t.Execute(os.Stdout, map[string]interface{}{"Name": "x", "Items": []int{1, 2}}); err != nil {
		fmt.Println(err)
	}
}
EOF

prog html-template mod <<'EOF'
package main

import (
	"fmt"
	"html/template"
	"os"
)

func main() {
	t := template.Must(template.New("t").Parse(`<p title="{{.Name}}">Hello {{.Name}}</p><a href="/u?n={{.Name}}">x</a>` + "\n"))
	if err := t.Execute(os.Stdout, map[string]string{"Name": "<b>x</b>"}); err != nil {
		fmt.Println(err)
	}
}
EOF

prog database-sql mod <<'EOF'
package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

func main() {
	db, err := sql.Open("postgres", "postgres://localhost/app")
	if err != nil {
		fmt.Println(err) // no driver registered: expected
		return
	}
	defer db.Close()
	db.SetConnMaxLifetime(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM users WHERE id > $1", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var name string
		_ = rows.Scan(&id, &name)
		fmt.Println(id, name)
	}
}
EOF

OS_USER_SRC='package main

import (
	"fmt"
	"os/user"
)

func main() {
	u, err := user.Current()
	if err != nil {
		fmt.Println(err)
		return
	}
	g, _ := user.LookupGroupId(u.Gid)
	fmt.Println(u.Username, u.HomeDir, g)
}
'
prog os-user mod <<<"$OS_USER_SRC"
CGO[os-user-cgo]=1
prog os-user-cgo mod <<<"$OS_USER_SRC"

LOADLOC_BODY='
func main() {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(time.Now().In(loc).Format(time.RFC3339))
}
'
prog time-loadlocation mod <<<"package main

import (
	\"fmt\"
	\"time\"
)
$LOADLOC_BODY"

prog tzdata-import mod <<<"package main

import (
	\"fmt\"
	\"time\"
	_ \"time/tzdata\"
)
$LOADLOC_BODY"

TAGS[tzdata-tag]=timetzdata
prog tzdata-tag mod <<<"package main

import (
	\"fmt\"
	\"time\"
)
$LOADLOC_BODY"

prog net-dial mod <<'EOF'
package main

import (
	"fmt"
	"net"
)

func main() {
	conn, err := net.Dial("tcp", "127.0.0.1:3000")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "ping\n")
}
EOF

prog regexp mod <<'EOF'
package main

import (
	"fmt"
	"os"
	"regexp"
)

var re = regexp.MustCompile(`^([a-z]+)-(\d+)$`)

func main() {
	for _, a := range os.Args[1:] {
		fmt.Println(re.FindStringSubmatch(a), re.ReplaceAllString(a, "$2-$1"))
	}
}
EOF

prog compress-gzip mod <<'EOF'
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
)

func main() {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("hello hello hello hello"))
	zw.Close()
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := io.ReadAll(zr)
	fmt.Println(string(b), buf.Len())
}
EOF

prog flag-os mod <<'EOF'
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	path := flag.String("f", "/etc/hostname", "file to read")
	verbose := flag.Bool("v", false, "verbose")
	flag.Parse()
	b, err := os.ReadFile(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *verbose {
		fmt.Println(len(b), flag.Args())
	}
	os.Stdout.Write(b)
}
EOF

prog encoding-xml mod <<'EOF'
package main

import (
	"encoding/xml"
	"fmt"
)

type Item struct {
	XMLName xml.Name `xml:"item"`
	Name    string   `xml:"name,attr"`
	Price   float64  `xml:"price"`
}

func main() {
	b, _ := xml.MarshalIndent(Item{Name: "x", Price: 1.5}, "", " ")
	var back Item
	if err := xml.Unmarshal(b, &back); err != nil {
		fmt.Println(err)
	}
	fmt.Println(string(b), back.Name)
}
EOF

# --- combined programs (used to test the additive model) -------------------
prog web-service mod <<'EOF'
package main

import (
	"encoding/json"
	"html/template"
	"log"
	"net/http"
)

type Greeting struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

var page = template.Must(template.New("page").Parse(`<!doctype html><title>Hi</title><h1>Hello {{.Name}}</h1>`))

func greet(r *http.Request) Greeting {
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "world"
	}
	return Greeting{Name: name, Message: "Hello " + name}
}

func main() {
	http.HandleFunc("/api/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(greet(r))
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if err := page.Execute(w, greet(r)); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	log.Fatal(http.ListenAndServe(":3000", nil))
}
EOF

prog api-service mod <<'EOF'
package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"time"
	_ "time/tzdata"
)

var db *sql.DB

func main() {
	var err error
	db, err = sql.Open("postgres", "postgres://localhost/app")
	if err != nil {
		log.Println(err)
	}
	loc, _ := time.LoadLocation("Europe/Berlin")
	http.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		type user struct {
			ID   int       `json:"id"`
			Name string    `json:"name"`
			Seen time.Time `json:"seen"`
		}
		var out []user
		if db != nil {
			rows, err := db.QueryContext(r.Context(), "SELECT id, name FROM users")
			if err == nil {
				for rows.Next() {
					var u user
					rows.Scan(&u.ID, &u.Name)
					u.Seen = time.Now().In(loc)
					out = append(out, u)
				}
				rows.Close()
			}
		}
		json.NewEncoder(w).Encode(out)
	})
	log.Fatal(http.ListenAndServe(":3000", nil))
}
EOF

prog cli-tool mod <<'EOF'
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
)

func main() {
	pattern := flag.String("match", `^[a-z]+$`, "regexp")
	in := flag.String("in", "data.json.gz", "input")
	flag.Parse()
	re := regexp.MustCompile(*pattern)
	f, err := os.Open(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var items []map[string]interface{}
	if err := json.NewDecoder(zr).Decode(&items); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, it := range items {
		if s, ok := it["name"].(string); ok && re.MatchString(s) {
			fmt.Println(s)
		}
	}
}
EOF

prog http-client-json mod <<'EOF'
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	resp, err := http.Get("https://api.example.com/items")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	var v []map[string]interface{}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	fmt.Println(len(v))
}
EOF

# --- net/http server plus one more package: increments on top of net/http --
# The handler calls extra(w, r); each variant defines extra with one package.
on_http() { # NAME (extra.go source on stdin)
  local name="http+$1" dir="$WORK/src/http+$1"
  mkdir -p "$dir"
  printf '%s' "$HTTP_SERVER_SRC" | sed 's|fmt.Fprintf(w, "Hello %s\\n", name)|fmt.Fprintf(w, "Hello %s\\n", name)\n\t\textra(w, r)|' >"$dir/main.go"
  cat >"$dir/extra.go"
  printf 'module example.com/onhttp\n\ngo 1.19\n' >"$dir/go.mod"
  MODE[$name]=mod; TAGS[$name]=""; CGO[$name]=0
  PROGRAMS+=("$name")
}
on_http encoding/json <<'EOF'
package main

import (
	"encoding/json"
	"net/http"
)

func extra(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(map[string]interface{}{"path": r.URL.Path, "q": r.URL.Query()})
}
EOF
on_http html/template <<'EOF'
package main

import (
	"html/template"
	"net/http"
)

var t = template.Must(template.New("t").Parse(`<p>{{.}}</p>`))

func extra(w http.ResponseWriter, r *http.Request) { t.Execute(w, r.URL.Path) }
EOF
on_http text/template <<'EOF'
package main

import (
	"net/http"
	"text/template"
)

var t = template.Must(template.New("t").Parse(`path={{.}}`))

func extra(w http.ResponseWriter, r *http.Request) { t.Execute(w, r.URL.Path) }
EOF
on_http database/sql <<'EOF'
package main

import (
	"database/sql"
	"fmt"
	"net/http"
)

func extra(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", "")
	if err != nil {
		fmt.Fprintln(w, err)
		return
	}
	rows, err := db.QueryContext(r.Context(), "SELECT 1")
	if err == nil {
		for rows.Next() {
			var n int
			rows.Scan(&n)
		}
		rows.Close()
	}
}
EOF
on_http regexp <<'EOF'
package main

import (
	"net/http"
	"regexp"
)

var re = regexp.MustCompile(`^/items/(\d+)$`)

func extra(w http.ResponseWriter, r *http.Request) { w.Write([]byte(re.FindString(r.URL.Path))) }
EOF
on_http compress/gzip <<'EOF'
package main

import (
	"compress/gzip"
	"net/http"
)

func extra(w http.ResponseWriter, r *http.Request) {
	zw := gzip.NewWriter(w)
	zw.Write([]byte(r.URL.Path))
	zw.Close()
}
EOF
on_http encoding/xml <<'EOF'
package main

import (
	"encoding/xml"
	"net/http"
)

func extra(w http.ResponseWriter, r *http.Request) {
	xml.NewEncoder(w).Encode(struct {
		XMLName xml.Name `xml:"p"`
		Path    string   `xml:"path,attr"`
	}{Path: r.URL.Path})
}
EOF
on_http time/tzdata <<'EOF'
package main

import (
	"net/http"
	"time"
	_ "time/tzdata"
)

func extra(w http.ResponseWriter, r *http.Request) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	w.Write([]byte(time.Now().In(loc).String()))
}
EOF
on_http os/user <<'EOF'
package main

import (
	"net/http"
	"os/user"
)

func extra(w http.ResponseWriter, r *http.Request) {
	if u, err := user.Current(); err == nil {
		w.Write([]byte(u.Username))
	}
}
EOF

# --- third party from Debian's /usr/share/gocode (GOPATH mode) -------------
THIRD_PARTY=()
if [[ "${SKIP_THIRD_PARTY:-}" != 1 && -d "$GOCODE/src" ]]; then
  tp() { # NAME MODULE-DIR (relative to $GOCODE/src) DEBIAN-PACKAGE COMPARE-WITH
    if [[ -d "$GOCODE/src/$2" ]]; then
      prog "$1" gopath
      THIRD_PARTY+=("$1|$2|$3|$4")
    else
      cat >/dev/null
      log "skip $1: $GOCODE/src/$2 missing (apt-get install $3)"
    fi
  }
  tp grpc-server google.golang.org/grpc golang-google-grpc-dev http-server <<'EOF'
package main

import (
	"log"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	lis, err := net.Listen("tcp", ":50051")
	if err != nil {
		log.Fatal(err)
	}
	s := grpc.NewServer()
	healthpb.RegisterHealthServer(s, health.NewServer())
	log.Fatal(s.Serve(lis))
}
EOF
  tp gorilla-mux github.com/gorilla/mux golang-github-gorilla-mux-dev http-server <<'EOF'
package main

import (
	"fmt"
	"log"
	"net/http"

	"github.com/gorilla/mux"
)

func main() {
	r := mux.NewRouter()
	r.HandleFunc("/hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello %s\n", mux.Vars(r)["name"])
	}).Methods("GET")
	log.Fatal(http.ListenAndServe(":3000", r))
}
EOF
  tp cobra-cli github.com/spf13/cobra golang-github-spf13-cobra-dev hello <<'EOF'
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	var name string
	root := &cobra.Command{
		Use:   "app",
		Short: "demo",
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Println("hello", name)
			return nil
		},
	}
	root.Flags().StringVarP(&name, "name", "n", "world", "who to greet")
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
EOF
  tp logrus github.com/sirupsen/logrus golang-github-sirupsen-logrus-dev hello <<'EOF'
package main

import (
	"fmt"

	"github.com/sirupsen/logrus"
)

func main() {
	logrus.SetFormatter(&logrus.JSONFormatter{})
	logrus.WithField("user", "x").Info("hello")
	fmt.Println("done")
}
EOF
  tp yaml-v3 gopkg.in/yaml.v3 golang-gopkg-yaml.v3-dev hello <<'EOF'
package main

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

type Config struct {
	Name  string            `yaml:"name"`
	Port  int               `yaml:"port"`
	Extra map[string]string `yaml:"extra"`
}

func main() {
	var c Config
	if err := yaml.Unmarshal([]byte("name: x\nport: 3000\nextra: {a: b}\n"), &c); err != nil {
		fmt.Println(err)
	}
	out, _ := yaml.Marshal(c)
	fmt.Print(string(out))
}
EOF
  if command -v gcc >/dev/null; then
    CGO[sqlite3-cgo]=1
    tp sqlite3-cgo github.com/mattn/go-sqlite3 golang-github-mattn-go-sqlite3-dev database-sql-cgo <<'EOF'
package main

import (
	"database/sql"
	"fmt"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT sqlite_version()").Scan(&v); err != nil {
		fmt.Println(err)
	}
	fmt.Println(v)
}
EOF
    # database/sql with cgo on, to compare sqlite3 against like for like.
    CGO[database-sql-cgo]=1
    prog database-sql-cgo mod <"$WORK/src/database-sql/main.go"
  fi
  # Appended after the programs above so that their order in the JSON stays put.
  # godotenv is small, but Load pulls in regexp (variable expansion) and os/exec.
  tp godotenv github.com/joho/godotenv golang-github-joho-godotenv-dev http-server <<'EOF'
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/joho/godotenv"
)

func main() {
	if err := godotenv.Load(); err != nil {
		log.Println("no .env file:", err)
	}
	greeting := os.Getenv("GREETING")
	if greeting == "" {
		greeting = "Hello"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		fmt.Fprintf(w, "%s %s\n", greeting, name)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
EOF
  # The usual gin shape: templates from disk, static files, an HTML and a JSON route.
  tp gin-server github.com/gin-gonic/gin golang-github-gin-gonic-gin-dev http-server <<'EOF'
package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.LoadHTMLGlob("templates/*")
	r.Static("/static", "./static")
	r.GET("/", func(c *gin.Context) {
		c.HTML(http.StatusOK, "index.html", gin.H{"title": "Home"})
	})
	r.GET("/api/hello/:name", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"message": "Hello " + c.Param("name")})
	})
	r.Run(":3000")
}
EOF
  tp viper github.com/spf13/viper golang-github-spf13-viper-dev hello <<'EOF'
package main

import (
	"fmt"

	"github.com/spf13/viper"
)

func main() {
	viper.SetConfigName("config")
	viper.AddConfigPath(".")
	viper.SetDefault("port", 3000)
	viper.AutomaticEnv()
	if err := viper.ReadInConfig(); err != nil {
		fmt.Println("no config file:", err)
	}
	fmt.Println(viper.GetInt("port"), viper.GetString("name"))
}
EOF
  # Debian ships bbolt under go.etcd.io (github.com/coreos/bbolt is a symlink to it).
  tp bbolt go.etcd.io/bbolt golang-github-coreos-bbolt-dev hello <<'EOF'
package main

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

func main() {
	db, err := bolt.Open("app.db", 0600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("users"))
		if err != nil {
			return err
		}
		return b.Put([]byte("x"), []byte("1"))
	})
	if err != nil {
		fmt.Println(err)
	}
	db.View(func(tx *bolt.Tx) error {
		fmt.Println(string(tx.Bucket([]byte("users")).Get([]byte("x"))))
		return nil
	})
}
EOF
fi

# ------------------------------------------------------------------ builds --
goenv() { # NAME -> env assignments for go
  local name="$1"
  if [[ "${MODE[$name]}" == gopath ]]; then
    echo "GO111MODULE=off GOPATH=$WORK/gopath:$GOCODE"
  else
    echo "GO111MODULE=on GOFLAGS=-mod=mod"
  fi
}

build() { # NAME OUTFILE [extra go build args...]
  local name="$1" out="$2"; shift 2
  local tags=()
  [[ -n "${TAGS[$name]}" ]] && tags=(-tags "${TAGS[$name]}")
  ( cd "$WORK/src/$name" && env $(goenv "$name") CGO_ENABLED="${CGO[$name]}" \
      go build "${tags[@]}" "$@" -o "$out" . )
}

for name in "${PROGRAMS[@]}"; do
  log "sizes: $name"
  b="$WORK/bin/$name"; mkdir -p "$b"
  build "$name" "$b/plain"
  build "$name" "$b/stripped" -ldflags="-s -w"
  build "$name" "$b/trimpath" -trimpath
  build "$name" "$b/strippedTrimpath" -trimpath -ldflags="-s -w"
  for v in plain stripped trimpath strippedTrimpath; do
    rec size "$name" "$v" "$(stat -c %s "$b/$v")"
  done
  rec info "$name" file "$(file -b "$b/plain")"
  rec info "$name" cgo "${CGO[$name]}"
  [[ -n "${TAGS[$name]}" ]] && rec info "$name" tags "${TAGS[$name]}"
  deps="$(cd "$WORK/src/$name" && env $(goenv "$name") CGO_ENABLED="${CGO[$name]}" go list ${TAGS[$name]:+-tags ${TAGS[$name]}} -deps -f '{{if .Standard}}std{{else}}ext{{end}}' . )"
  rec info "$name" stdDeps "$(grep -c '^std$' <<<"$deps" || true)"
  rec info "$name" nonStdDeps "$(grep -c '^ext$' <<<"$deps" || true)"
  if [[ "${CGO[$name]}" == 1 ]]; then
    rec info "$name" ldd "$(ldd "$b/plain" 2>&1 | sed 's/ (0x[0-9a-f]*)//' | tr '\n' ';' | sed 's/\t//g')"
  fi
done

# ------------------------------------------- naive Dockerfile build cache --
# `FROM golang:1.19 / ADD . . / RUN go build -o /app/main .` keeps the build
# cache (GOCACHE, /root/.cache/go-build) and the module cache (GOPATH/pkg/mod)
# in the layer. golang:1.19 has gcc, so cgo is on by default there; we measure
# that (cgo1) and CGO_ENABLED=0 (cgo0), each with an empty cache. Go 1.19 ships
# the standard library precompiled in GOROOT/pkg, so only non-std packages and
# std packages built differently (cgo off, -trimpath...) land in the cache;
# `go build -a` approximates Go >= 1.20, which compiles std into the cache.
naive() { # NAME KEY CGO [extra args]
  local name="$1" key="$2" cgo="$3"; shift 3
  local gc="$WORK/naive/$name.$key/cache" gp="$WORK/naive/$name.$key/gopath"
  mkdir -p "$gc" "$gp"
  local tags=()
  [[ -n "${TAGS[$name]}" ]] && tags=(-tags "${TAGS[$name]}")
  local genv
  if [[ "${MODE[$name]}" == gopath ]]; then genv="GO111MODULE=off GOPATH=$gp:$GOCODE"; else genv="GO111MODULE=on GOFLAGS=-mod=mod GOPATH=$gp"; fi
  ( cd "$WORK/src/$name" && env $genv GOCACHE="$gc" CGO_ENABLED="$cgo" \
      go build "${tags[@]}" "$@" -o "$WORK/naive/$name.$key/main" . )
  rec cache "$name" "$key" "$(du -sb "$gc" | cut -f1)"
  rec cachefiles "$name" "$key" "$(find "$gc" -type f | wc -l)"
  # du -sb counts 4 KiB per directory (GOCACHE always has 256 of them); the
  # file bytes and the size of a tar of the cache are closer to the layer.
  rec cachefilebytes "$name" "$key" "$(find "$gc" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')"
  rec cachetar "$name" "$key" "$(tar -cf - -C "$gc" . | wc -c)"
  rec naivelink "$name" "$key" "$(file -b "$WORK/naive/$name.$key/main" | grep -q 'dynamically linked' && echo dynamic || echo static)"
  rec modcache "$name" "$key" "$( [[ -d $gp/pkg/mod ]] && du -sb "$gp/pkg/mod" | cut -f1 || echo 0)"
  rec naivebin "$name" "$key" "$(stat -c %s "$WORK/naive/$name.$key/main")"
  rm -rf "$WORK/naive/$name.$key"
}
for name in "${PROGRAMS[@]}"; do
  if [[ -n "${NAIVE_PROGRAMS:-}" && " $NAIVE_PROGRAMS " != *" $name "* ]]; then continue; fi
  log "build cache: $name"
  naive "$name" cgo1 1
  [[ "${CGO[$name]}" == 1 ]] || naive "$name" cgo0 0
  if [[ " $FULL_REBUILD_PROGRAMS " == *" $name "* ]]; then
    log "build cache (-a, no precompiled std): $name"
    naive "$name" cgo1All 1 -a
  fi
done

# Source bytes of the third-party modules each program pulls in: what
# GOPATH/pkg/mod would roughly hold in module mode (extracted sources; the
# proxy zips under pkg/mod/cache/download come on top, about the same again
# compressed). Module roots are found by walking up to the nearest go.mod.
for entry in "${THIRD_PARTY[@]}"; do
  IFS='|' read -r name mdir debpkg cmp <<<"$entry"
  roots="$( (cd "$WORK/src/$name" && env $(goenv "$name") CGO_ENABLED="${CGO[$name]}" go list -deps -f '{{if not .Standard}}{{.Dir}}{{end}}' .) \
    | while read -r d; do
        [[ "$d" == "$GOCODE/src/"* ]] || continue
        r="$d"; while [[ "$r" != "$GOCODE/src" && ! -f "$r/go.mod" ]]; do r="$(dirname "$r")"; done
        [[ "$r" == "$GOCODE/src" ]] && r="$d"
        echo "$r"
      done | sort -u)"
  total=0; mods=()
  while read -r r; do
    [[ -z "$r" ]] && continue
    total=$(( total + $(du -sbL "$r" | cut -f1) ))
    mods+=("${r#$GOCODE/src/}")
  done <<<"$roots"
  rec tp "$name" stdLinked "$( (cd "$WORK/src/$name" && env $(goenv "$name") CGO_ENABLED="${CGO[$name]}" go list -deps -f '{{if .Standard}}{{.ImportPath}}{{end}}' .) \
    | grep -xE 'net/http|crypto/tls|net|encoding/json|text/template|html/template|database/sql|os/user|time/tzdata|regexp|compress/gzip|flag|encoding/xml' | paste -sd, -)"
  rec tp "$name" module "$mdir"
  rec tp "$name" compare "$cmp"
  rec tp "$name" sourceBytes "$total"
  rec tp "$name" modules "$(IFS=,; echo "${mods[*]}")"
  ver="$(dpkg-query -W -f '${Version}' "$debpkg" 2>/dev/null || echo unknown)"
  rec tp "$name" source "measured with Debian $debpkg $ver (GOPATH mode against $GOCODE)"
done

# ----------------------------------------------------------------- JSON ----
rec meta go - "$(go env GOVERSION)"
rec meta goos - "$(go env GOOS)"
rec meta goarch - "$(go env GOARCH)"
rec meta goamd64 - "$(go env GOAMD64)"
rec meta measured - "$(date -u +%F)"
rec meta host - "$(uname -sm); $(nproc) cpu"
rec meta gcc - "$(gcc --version 2>/dev/null | head -1 || echo none)"

node - "$RES" "$OUT" <<'JS'
const fs = require('fs');
const [resFile, outFile] = process.argv.slice(2);
const V = ['plain', 'stripped', 'trimpath', 'strippedTrimpath'];
const rows = fs.readFileSync(resFile, 'utf8').split('\n').filter(Boolean).map(l => l.split('\t'));
const size = {}, info = {}, cache = {}, cachefiles = {}, cachefilebytes = {}, cachetar = {}, modcache = {}, naivebin = {}, naivelink = {}, tp = {}, meta = {};
const put = (o, a, b, v) => ((o[a] = o[a] || {})[b] = v);
for (const [kind, a, b, v] of rows) {
  if (kind === 'size') put(size, a, b, +v);
  else if (kind === 'info') put(info, a, b, /^\d+$/.test(v) ? +v : v);
  else if (kind === 'cache') put(cache, a, b, +v);
  else if (kind === 'cachefiles') put(cachefiles, a, b, +v);
  else if (kind === 'modcache') put(modcache, a, b, +v);
  else if (kind === 'naivebin') put(naivebin, a, b, +v);
  else if (kind === 'cachefilebytes') put(cachefilebytes, a, b, +v);
  else if (kind === 'cachetar') put(cachetar, a, b, +v);
  else if (kind === 'naivelink') put(naivelink, a, b, v);
  else if (kind === 'tp') put(tp, a, b, v);
  else if (kind === 'meta') meta[a] = v;
  else throw new Error('unknown row kind ' + kind);
}
const r4 = x => Math.round(x * 10000) / 10000;
const pick = (o, keys) => Object.fromEntries(keys.filter(k => k in o).map(k => [k, o[k]]));
const diff = (a, b) => Object.fromEntries(V.map(v => [v, size[a][v] - size[b][v]]));
const has = n => n in size;

const base = size.hello;
// std package (import path) -> program measuring it alone (with fmt)
const STD = {
  'net/http': 'http-server', 'net/http:client': 'http-client', 'crypto/tls': 'crypto-tls',
  'encoding/json': 'encoding-json', 'text/template': 'text-template', 'html/template': 'html-template',
  'database/sql': 'database-sql', 'os/user': 'os-user', 'time:LoadLocation': 'time-loadlocation',
  'time/tzdata': 'tzdata-import', 'time/tzdata:tag': 'tzdata-tag', 'net': 'net-dial', 'regexp': 'regexp',
  'compress/gzip': 'compress-gzip', 'flag': 'flag-os', 'encoding/xml': 'encoding-xml',
};
const stdIncrements = {};
for (const [pkg, p] of Object.entries(STD)) if (has(p)) stdIncrements[pkg] = { program: p, ...diff(p, 'hello') };

const onNetHTTP = {};
for (const p of Object.keys(size)) if (p.startsWith('http+')) onNetHTTP[p.slice(5)] = { program: p, ...diff(p, 'http-server') };

// combined programs: additive prediction from the single-package increments
const COMBOS = {
  'web-service': ['net/http', 'encoding/json', 'html/template'],
  'api-service': ['net/http', 'encoding/json', 'database/sql', 'time/tzdata'],
  'cli-tool': ['flag', 'encoding/json', 'regexp', 'compress/gzip'],
  'http-client-json': ['net/http:client', 'encoding/json'],
  'http+encoding/json': ['net/http', 'encoding/json'],
  'http+html/template': ['net/http', 'html/template'],
  'http+database/sql': ['net/http', 'database/sql'],
  'http+regexp': ['net/http', 'regexp'],
  'http+compress/gzip': ['net/http', 'compress/gzip'],
  'http+encoding/xml': ['net/http', 'encoding/xml'],
  'http+time/tzdata': ['net/http', 'time/tzdata'],
};
const additiveModelError = {}, additiveModelDetail = {};
const ratios = [];
for (const [p, pkgs] of Object.entries(COMBOS)) {
  if (!has(p) || !pkgs.every(k => k in stdIncrements)) continue;
  const d = { packages: pkgs };
  for (const v of V) {
    const incSum = pkgs.reduce((s, k) => s + stdIncrements[k][v], 0);
    const predicted = base[v] + incSum;
    const actual = size[p][v];
    d[v] = { predicted, actual, error: r4((predicted - actual) / actual) };
    if (v === 'plain') ratios.push((actual - base[v]) / incSum);
  }
  // layered: net/http increment + increments measured on top of net/http
  if (pkgs[0] === 'net/http' && pkgs.slice(1).every(k => k in onNetHTTP)) {
    d.layered = {};
    for (const v of V) {
      const predicted = size['http-server'][v] + pkgs.slice(1).reduce((s, k) => s + onNetHTTP[k][v], 0);
      d.layered[v] = { predicted, actual: size[p][v], error: r4((predicted - size[p][v]) / size[p][v]) };
    }
  }
  additiveModelDetail[p] = d;
  additiveModelError[p] = d.plain.error;
}

const stripRatios = Object.keys(size).map(p => size[p].stripped / size[p].plain);
const mean = a => a.reduce((s, x) => s + x, 0) / a.length;
const trimDeltas = Object.keys(size).map(p => size[p].trimpath - size[p].plain);
const trimDeltasStripped = Object.keys(size).map(p => size[p].strippedTrimpath - size[p].stripped);

const buildCache = {}, buildCacheDetail = {};
for (const p of Object.keys(cache)) {
  buildCache[p] = cache[p].cgo1;
  buildCacheDetail[p] = {
    duSb: cache[p],
    fileBytes: cachefilebytes[p],
    tarBytes: cachetar[p],
    files: cachefiles[p],
    modCache: modcache[p].cgo1,
    naiveBinary: naivebin[p].cgo1,
    naiveBinaryLinking: naivelink[p].cgo1,
    naiveLayerTar: naivebin[p].cgo1 + cachetar[p].cgo1 + (modcache[p].cgo1 || 0),
  };
}

// Third-party entries: plain/stripped/... are the increment over the comparison
// program, whose std packages are listed in impliesStd (count those too when
// the project does not import them itself). programSize has the raw sizes.
const IMPLIES = { hello: [], 'http-server': ['net/http'], 'database-sql-cgo': ['database/sql'] };
const thirdParty = {};
for (const [p, t] of Object.entries(tp)) {
  if (!has(p) || !has(t.compare)) continue;
  const cmp = t.compare;
  thirdParty[t.module] = {
    ...diff(p, cmp),
    program: p,
    comparedWith: cmp,
    impliesStd: IMPLIES[cmp] || [],
    programSize: pick(size[p], V),
    incrementOverBase: diff(p, 'hello'),
    stdLinked: (t.stdLinked || '').split(',').filter(Boolean),
    modulesLinked: t.modules.split(',').filter(Boolean),
    moduleSourceBytes: +t.sourceBytes,
    buildCache: cache[p] && cache[p].cgo1,
    buildCacheAll: cache[p] && cache[p].cgo1All,
    cgo: info[p].cgo === 1,
    ldd: info[p].ldd,
    note: /libsqlite3/.test(info[p].ldd || '')
      ? "Debian's build links the system libsqlite3.so dynamically; upstream go-sqlite3 compiles the SQLite amalgamation into the binary, which this figure does not include"
      : undefined,
    source: t.source,
  };
}

const out = {
  schema: 1,
  go: meta.go.replace(/^go/, ''),
  goos: meta.goos, goarch: meta.goarch, goamd64: meta.goamd64,
  measured: meta.measured,
  host: meta.host,
  method: 'CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build of small std-only sample programs (module mode, GOPROXY=off) ' +
    'in four flag variants: plain; -ldflags "-s -w"; -trimpath; both. Sizes are bytes of the output file. ' +
    'Programs marked cgo were built with CGO_ENABLED=1 (dynamically linked against glibc). Increments are ' +
    'size(program) - size(hello with fmt) for the same variant; onNetHTTP increments are size(http server + package) - size(http server). ' +
    `buildCache is du -sb of an empty GOCACHE after one \`go build -o main .\` with the defaults of the golang:${meta.go.replace(/^go(\d+\.\d+).*/, '$1')} image (cgo on; ${/^go1\.(1\d)(\.|$)/.test(meta.go) ? 'GOROOT/pkg precompiled std' : 'no precompiled std since Go 1.20: the std packages the program uses are compiled into the cache'}). ` +
    'Third-party figures use Debian golang-*-dev sources in GOPATH mode; their plain/stripped/... are the increment over comparedWith, whose std packages are listed in impliesStd. ' +
    'Sizes repeat to within a few bytes between runs. Regenerate with bench/calibrate-go-binary.sh; method, model and error in docs/calibration.md.',
  base: pick(base, V),
  minimal: pick(size.minimal, V),
  stdIncrements,
  onNetHTTP,
  stripRatio: r4(mean(stripRatios)),
  stripRatioRange: [r4(Math.min(...stripRatios)), r4(Math.max(...stripRatios))],
  stripRatioBase: r4(base.stripped / base.plain),
  trimpathDelta: Math.round(mean(trimDeltas)),
  trimpathDeltaRange: [Math.min(...trimDeltas), Math.max(...trimDeltas)],
  trimpathDeltaStripped: Math.round(mean(trimDeltasStripped)),
  programs: Object.fromEntries(Object.keys(size).map(p => [p, { ...pick(size[p], V), ...info[p] }])),
  buildCache,
  buildCacheDetail,
  additiveModelError,
  additiveModelOverlapFactor: r4(mean(ratios)),
  additiveModelDetail,
  thirdParty,
};
const json = JSON.stringify(out, null, 2) + '\n';
if (outFile) fs.writeFileSync(outFile, json); else process.stdout.write(json);
JS
log done
