//go:build !amd64

package nlu

// axpyKernel is axpy with len(row) == len(dst), unrolled.
func axpyKernel(dst []float32, x float32, row []float32) {
	row = row[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		d := dst[i : i+8 : i+8]
		r := row[i : i+8 : i+8]
		d[0] += x * r[0]
		d[1] += x * r[1]
		d[2] += x * r[2]
		d[3] += x * r[3]
		d[4] += x * r[4]
		d[5] += x * r[5]
		d[6] += x * r[6]
		d[7] += x * r[7]
	}
	for ; i < len(dst); i++ {
		dst[i] += x * row[i]
	}
}

func prefetchRow(*float32, int) {}
