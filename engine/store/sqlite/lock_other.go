//go:build !unix

package sqlite

import (
	"fmt"
	"os"
)

// lockFile opens the lock file exclusively where flock is unavailable. A crash can
// leave it behind; delete it once no process uses the database.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lock file: %w", err)
	}
	return f, nil
}

func unlockFile(f *os.File) error {
	name := f.Name()
	err := f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	return err
}
