package nlu

// axpyKernel is axpy with len(row) == len(dst), in assembly.
//
//go:noescape
func axpyKernel(dst []float32, x float32, row []float32)

// prefetchRow hints that the n > 0 bytes at p will be read soon.
//
//go:noescape
func prefetchRow(p *float32, n int)
