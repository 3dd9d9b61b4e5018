package vecsearch

// dotsInt8Go is the portable dotsInt8: four independent sums per row, so the
// loop is not one long dependency chain.
func dotsInt8Go(out []int32, rows []int8, q []int16, stride int) {
	q = q[:stride]
	for r := range out {
		row := rows[r*stride : (r+1)*stride]
		var s0, s1, s2, s3 int32
		for i := 0; i+4 <= stride; i += 4 {
			s0 += int32(row[i]) * int32(q[i])
			s1 += int32(row[i+1]) * int32(q[i+1])
			s2 += int32(row[i+2]) * int32(q[i+2])
			s3 += int32(row[i+3]) * int32(q[i+3])
		}
		out[r] = s0 + s1 + s2 + s3
	}
}

// dotF32Go is the portable dotF32, unrolled by four.
func dotF32Go(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}
