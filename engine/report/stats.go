package report

import "math"

// The significance tests behind comparing policy versions (compare.go).

// twoProportionZ tests whether x1 of n1 and x2 of n2 come from the same
// rate: the pooled two-proportion z-test, two-sided. ok is false when a
// side has nothing to count.
func twoProportionZ(x1, n1, x2, n2 int) (z, p float64, ok bool) {
	if n1 == 0 || n2 == 0 {
		return 0, 0, false
	}
	pooled := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(n1) + 1/float64(n2)))
	diff := float64(x2)/float64(n2) - float64(x1)/float64(n1)
	if se == 0 {
		// Both all or both none: no difference at all.
		return 0, 1, true
	}
	z = diff / se
	return z, math.Erfc(math.Abs(z) / math.Sqrt2), true
}

// scores are counts of the scores 1 to 5.
type scores [5]int

func (s scores) n() int {
	n := 0
	for _, c := range s {
		n += c
	}
	return n
}

func (s scores) mean() float64 {
	sum := 0
	for i, c := range s {
		sum += (i + 1) * c
	}
	return float64(sum) / float64(s.n())
}

// variance is the sample variance (n-1).
func (s scores) variance() float64 {
	m, ss := s.mean(), 0.0
	for i, c := range s {
		d := float64(i+1) - m
		ss += float64(c) * d * d
	}
	return ss / float64(s.n()-1)
}

// welchT tests whether two sets of scores have the same mean: Welch's
// unequal-variances t-test, two-sided. ok is false with fewer than two
// scores on a side.
func welchT(a, b scores) (t, df, p float64, ok bool) {
	na, nb := float64(a.n()), float64(b.n())
	if na < 2 || nb < 2 {
		return 0, 0, 0, false
	}
	va, vb := a.variance()/na, b.variance()/nb
	diff := b.mean() - a.mean()
	if va+vb == 0 {
		if diff == 0 {
			return 0, na + nb - 2, 1, true
		}
		return math.Copysign(math.Inf(1), diff), na + nb - 2, 0, true
	}
	t = diff / math.Sqrt(va+vb)
	df = (va + vb) * (va + vb) / (va*va/(na-1) + vb*vb/(nb-1))
	return t, df, studentTwoSided(t, df), true
}

// studentTwoSided is P(|T| >= |t|) for Student's t with df degrees of
// freedom: the regularized incomplete beta I_x(df/2, 1/2), x = df/(df+t²).
func studentTwoSided(t, df float64) float64 {
	return incompleteBeta(df/2, 0.5, df/(df+t*t))
}

// incompleteBeta is the regularized incomplete beta function I_x(a, b), by
// its continued fraction (Numerical Recipes, 6.4), to about 1e-12.
func incompleteBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	lbeta, _ := math.Lgamma(a + b)
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	front := math.Exp(lbeta - la - lb + a*math.Log(x) + b*math.Log(1-x))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(a, b, x) / a
	}
	return 1 - front*betaFraction(b, a, 1-x)/b
}

func betaFraction(a, b, x float64) float64 {
	const tiny, eps = 1e-300, 1e-14
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		for _, aa := range []float64{
			fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm)),
			-(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1)),
		} {
			d = 1 + aa*d
			if math.Abs(d) < tiny {
				d = tiny
			}
			c = 1 + aa/c
			if math.Abs(c) < tiny {
				c = tiny
			}
			d = 1 / d
			h *= d * c
		}
		if math.Abs(d*c-1) < eps {
			break
		}
	}
	return h
}
