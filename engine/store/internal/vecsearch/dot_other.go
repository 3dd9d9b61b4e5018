//go:build !amd64

package vecsearch

func dotsInt8(out []int32, rows []int8, q []int16, stride int) { dotsInt8Go(out, rows, q, stride) }

func dotF32(a, b []float32) float32 { return dotF32Go(a, b) }
