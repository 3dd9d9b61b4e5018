package vecsearch

import "golang.org/x/sys/cpu"

// hasAVX2 selects the assembly kernels; every x86-64 CPU of the last decade
// has AVX2 and FMA, older ones take the Go loops.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func dotsInt8AVX2(out []int32, rows []int8, q []int16, stride int)

//go:noescape
func dotF32AVX2(a, b []float32) float32

// dotsInt8 sets out[r] to row r of rows (stride bytes each) times q.
func dotsInt8(out []int32, rows []int8, q []int16, stride int) {
	if hasAVX2 && len(out) > 0 {
		_ = rows[len(out)*stride-1]
		_ = q[stride-1]
		dotsInt8AVX2(out, rows, q, stride)
		return
	}
	dotsInt8Go(out, rows, q, stride)
}

// dotF32 is the dot product of a and b (len(b) >= len(a)).
func dotF32(a, b []float32) float32 {
	if !hasAVX2 || len(a) < 16 {
		return dotF32Go(a, b)
	}
	n := len(a) &^ 15
	s := dotF32AVX2(a[:n], b[:n])
	if n < len(a) {
		s += dotF32Go(a[n:], b[n:len(a)])
	}
	return s
}
