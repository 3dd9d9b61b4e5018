// Package srcfile reads the files a bot is made of (policies, knowledge
// sources) and files Parley keeps for itself. It reads only regular files of
// bounded size: a FIFO named like a policy file would block forever, a symlink
// to /dev/zero never ends, and a stray 1 GB log would be read whole into memory.
package srcfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

var (
	// ErrNotRegular: the path is a FIFO, a device, a socket or a folder (directly or
	// through a symlink).
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file is over the limit the caller gave.
	ErrTooLarge = errors.New("file too large")
)

// Read returns the contents of the regular file at path. It refuses anything
// else, and files over limit bytes, with an error wrapping ErrNotRegular or
// ErrTooLarge that says what the file is. Symlinks to regular files are read.
func Read(path string, limit int64) ([]byte, error) {
	// Stat follows symlinks: what matters is what a read would reach. Checking
	// before opening means a device is never even opened.
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	// Non-blocking, so a file swapped for a FIFO since the Stat cannot hang the
	// open; it makes no difference to reading a regular file.
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	buf := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			// It grew while being read.
			return nil, &refusal{fmt.Sprintf("%s is over the %s limit", path, Size(limit)), ErrTooLarge}
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

func check(path string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return &refusal{fmt.Sprintf("%s is %s, not a regular file", path, kind(info.Mode())), ErrNotRegular}
	}
	if info.Size() > limit {
		return &refusal{fmt.Sprintf("%s is %s, over the %s limit", path, Size(info.Size()), Size(limit)), ErrTooLarge}
	}
	return nil
}

// refusal says why a file was not read; errors.Is matches its kind.
type refusal struct {
	msg  string
	kind error
}

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return r.kind }

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	default:
		return "a special file"
	}
}

// Size writes a byte count for people: 512 bytes, 8 MiB, 1.0 GiB.
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	suffix := string("KMGTPE"[exp]) + "iB"
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), suffix)
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}
