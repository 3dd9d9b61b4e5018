// Command parley checks, tests and runs customer-service bots written in HCL.
//
// All of it is in package parleycmd, so that a build with more connector
// types is a main.go like this one that also imports them (docs/connectors.md).
package main

import "github.com/parleyhq/parley/cmd/parley/parleycmd"

func main() { parleycmd.Main() }
