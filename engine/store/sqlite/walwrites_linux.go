//go:build linux && (amd64 || arm64)

package sqlite

import (
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
	"modernc.org/libc"
	lib "modernc.org/sqlite/lib"
)

// SQLite appends a frame to the write-ahead log with two pwrite calls, its
// 24-byte header and then the page, and a commit is one frame per page it
// changed: at a few turns a commit those calls were 10% of the server's CPU
// (BENCHMARKS.md, twelfth round). gatherWALWrites replaces SQLite's pwrite
// (through the unix VFS's xSetSystemCall) for the log's files: it keeps the
// frames of a commit in memory, in order, and writes them with one pwrite
// when the commit's own frame (the last one, the only one whose header
// carries the database's size) is complete. The bytes and the file offsets
// are SQLite's, and they reach the file before the COMMIT's fsync, which
// SQLite issues after writing its last frame; only what was never committed
// (frames of an unfinished transaction) can still be in memory when the
// process dies, and recovery ignores those anyway.
//
// Anything else on such a file (a write elsewhere, a read, its size, a
// truncation, close) first writes what is held, so SQLite never observes
// the difference. A failed write is reported then, and every later call on
// that file fails until SQLite closes it.
func gatherWALWrites() { gatherOnce.Do(installWALWrites) }

var gatherOnce sync.Once

// walFlushBytes bounds the memory a large commit holds before writing.
const walFlushBytes = 1 << 20

const walFrameHeader = 24

type walFile struct {
	mu       sync.Mutex // one connection uses a file at a time; held briefly
	pending  []byte     // frames not yet written, starting at offset off
	off      int64
	end      int64 // where the last write through this file ended
	inHeader bool  // pending ends with a frame header: its page comes next
	commit   bool  // that header is a commit frame's
	failed   error // a write of pending failed: fail everything until close
}

var (
	// walFiles holds a *walFile for every open log file, by descriptor:
	// looked up on every pread and pwrite, so without a lock of its own.
	walFiles sync.Map
	// walFrames and walFlushes count frames gathered and the writes that
	// carried them (for tests).
	walFrames, walFlushes atomic.Int64
	// walHeld counts files with pending bytes: while it is 0, reads, sizes
	// and truncations skip the lookup.
	walHeld atomic.Int32
)

type (
	openFn      = func(*libc.TLS, uintptr, int32, int32) int32
	closeFn     = func(*libc.TLS, int32) int32
	fstatFn     = func(*libc.TLS, int32, uintptr) int32
	ftruncateFn = func(*libc.TLS, int32, int64) int32
	preadFn     = func(*libc.TLS, int32, uintptr, uint64, int64) int64
	pwriteFn    = func(*libc.TLS, int32, uintptr, uint64, int64) int64
)

var (
	sysOpen      openFn
	sysClose     closeFn
	sysFstat     fstatFn
	sysFtruncate ftruncateFn
	sysPread     preadFn
	sysPwrite    pwriteFn
)

// cFunc and goFunc convert between a Go func and the function pointers of
// modernc's translated C (a pointer to the func value).
func cFunc[F any](f F) uintptr  { return *(*uintptr)(unsafe.Pointer(&f)) }
func goFunc[F any](p uintptr) F { return *(*F)(unsafe.Pointer(&p)) }

// cPtr is a pointer into modernc's C memory, which Go's collector neither
// moves nor frees. (Inlined into walPwrite, it crashed Go 1.26's compiler.)
//
//go:noinline
func cPtr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// cString is a C copy of s, never freed (a few names, once).
func cString(s string) uintptr {
	p, err := libc.CString(s)
	if err != nil {
		panic(err)
	}
	return p
}

func installWALWrites() {
	tls := libc.NewTLS()
	defer tls.Close()
	vfsPtr := lib.Xsqlite3_vfs_find(tls, 0)
	if vfsPtr == 0 {
		return
	}
	vfs := (*lib.Tsqlite3_vfs)(cPtr(vfsPtr))
	if vfs.FiVersion < 3 || vfs.FxGetSystemCall == 0 || vfs.FxSetSystemCall == 0 {
		return
	}
	get := goFunc[func(*libc.TLS, uintptr, uintptr) uintptr](vfs.FxGetSystemCall)
	set := goFunc[func(*libc.TLS, uintptr, uintptr, uintptr) int32](vfs.FxSetSystemCall)
	names := []string{"open", "close", "fstat", "ftruncate", "pread", "pwrite"}
	cur := map[string]uintptr{}
	for _, n := range names {
		p := get(tls, vfsPtr, cString(n))
		if p == 0 {
			return // not the unix VFS this was written for
		}
		cur[n] = p
	}
	sysOpen = goFunc[openFn](cur["open"])
	sysClose = goFunc[closeFn](cur["close"])
	sysFstat = goFunc[fstatFn](cur["fstat"])
	sysFtruncate = goFunc[ftruncateFn](cur["ftruncate"])
	sysPread = goFunc[preadFn](cur["pread"])
	sysPwrite = goFunc[pwriteFn](cur["pwrite"])
	repl := map[string]uintptr{
		"open":      cFunc[openFn](walOpen),
		"close":     cFunc[closeFn](walClose),
		"fstat":     cFunc[fstatFn](walFstat),
		"ftruncate": cFunc[ftruncateFn](walFtruncate),
		"pread":     cFunc[preadFn](walPread),
		"pwrite":    cFunc[pwriteFn](walPwrite),
	}
	for _, n := range names {
		set(tls, vfsPtr, cString(n), repl[n])
	}
}

func walOpen(tls *libc.TLS, name uintptr, flags, mode int32) int32 {
	fd := sysOpen(tls, name, flags, mode)
	if fd >= 0 && strings.HasSuffix(libc.GoString(name), "-wal") {
		walFiles.Store(fd, &walFile{})
	}
	return fd
}

func walClose(tls *libc.TLS, fd int32) int32 {
	var err error
	if v, ok := walFiles.LoadAndDelete(fd); ok {
		f := v.(*walFile)
		f.mu.Lock()
		err = f.flush(fd)
		f.mu.Unlock()
	}
	rc := sysClose(tls, fd)
	if err != nil && rc == 0 {
		return fail(tls, err)
	}
	return rc
}

// settle writes what fd holds before another call uses the file; it
// reports an error to return from that call.
func settle(fd int32) error {
	if walHeld.Load() == 0 {
		return nil
	}
	v, ok := walFiles.Load(fd)
	if !ok {
		return nil
	}
	f := v.(*walFile)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flush(fd)
}

func walFstat(tls *libc.TLS, fd int32, buf uintptr) int32 {
	if err := settle(fd); err != nil {
		return fail(tls, err)
	}
	return sysFstat(tls, fd, buf)
}

func walFtruncate(tls *libc.TLS, fd int32, size int64) int32 {
	if err := settle(fd); err != nil {
		return fail(tls, err)
	}
	return sysFtruncate(tls, fd, size)
}

func walPread(tls *libc.TLS, fd int32, buf uintptr, n uint64, off int64) int64 {
	if err := settle(fd); err != nil {
		return int64(fail(tls, err))
	}
	return sysPread(tls, fd, buf, n, off)
}

func walPwrite(tls *libc.TLS, fd int32, buf uintptr, n uint64, off int64) int64 {
	v, ok := walFiles.Load(fd)
	if !ok {
		return sysPwrite(tls, fd, buf, n, off)
	}
	f := v.(*walFile)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failed != nil {
		return int64(fail(tls, f.failed))
	}
	data := unsafe.Slice((*byte)(cPtr(buf)), n)
	// Only frames appended one after the other are held. SQLite also
	// writes pages and frame headers in place (a transaction that spilled
	// pages into the log rewrites them, then their checksums, at COMMIT):
	// those go to the file at once, so a commit frame's header is never
	// left held after its page.
	appended := off == f.end
	f.end = off + int64(n)
	switch {
	case f.inHeader && appended:
		// The page of the frame whose header is held.
		f.pending = append(f.pending, data...)
		f.inHeader = false
		if f.commit || len(f.pending) >= walFlushBytes {
			if err := f.flush(fd); err != nil {
				return int64(fail(tls, err))
			}
		}
		return int64(n)
	case n == walFrameHeader && !f.inHeader && appended:
		if len(f.pending) == 0 {
			f.off = off
			walHeld.Add(1)
		}
		f.pending = append(f.pending, data...)
		f.inHeader = true
		walFrames.Add(1)
		// Bytes 4-7: the database's size in pages after a commit, 0 otherwise.
		f.commit = data[4]|data[5]|data[6]|data[7] != 0
		return int64(n)
	}
	if err := f.flush(fd); err != nil {
		return int64(fail(tls, err))
	}
	return sysPwrite(tls, fd, buf, n, off)
}

// flush writes the pending frames; f.mu is held.
func (f *walFile) flush(fd int32) error {
	if f.failed != nil {
		return f.failed
	}
	if len(f.pending) == 0 {
		return nil
	}
	p, off := f.pending, f.off
	walFlushes.Add(1)
	for len(p) > 0 {
		n, err := unix.Pwrite(int(fd), p, off)
		if err == unix.EINTR {
			continue
		}
		if err == nil && n == 0 {
			err = unix.EIO
		}
		if err != nil {
			f.failed = err
			break
		}
		p, off = p[n:], off+int64(n)
	}
	f.pending, f.inHeader, f.commit = f.pending[:0], false, false
	walHeld.Add(-1)
	return f.failed
}

// fail sets errno for SQLite and returns -1.
func fail(tls *libc.TLS, err error) int32 {
	errno := unix.EIO
	if e, ok := err.(unix.Errno); ok {
		errno = e
	}
	*(*int32)(cPtr(libc.X__errno_location(tls))) = int32(errno)
	return -1
}
