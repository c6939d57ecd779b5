// Command tandem runs ISO/IEC 27001 and ISO/IEC 42001 as one integrated
// management system. See README.md.
package main

import (
	"os"

	"tandem/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
