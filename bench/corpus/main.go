// A small service the benchmark corpus Dockerfiles build: it calls out over TLS and reads a time
// zone, so Slimfile's rules have something to say about every runtime stage.
package main

import (
	"fmt"
	"net/http"
	"time"
)

func main() {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	resp, err := http.Get("https://example.com/")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status, time.Now().In(loc))
}
