package main

func main() {
	println("hello from a Slimfile example")
}
