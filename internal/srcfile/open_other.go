//go:build !unix

package srcfile

import "os"

func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
