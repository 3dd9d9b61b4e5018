#include "textflag.h"

// func axpyKernel(dst []float32, x float32, row []float32)
// dst[i] += x * row[i] for i < len(dst) <= len(row), with SSE, which every
// amd64 CPU has. Multiplying and adding separately (no FMA) gives the same
// bits as the Go version in axpy_other.go.
TEXT ·axpyKernel(SB), NOSPLIT, $0-56
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), CX
	MOVSS  x+24(FP), X0
	SHUFPS $0x00, X0, X0
	MOVQ   row_base+32(FP), SI

loop16:
	CMPQ   CX, $16
	JLT    loop4
	MOVUPS (SI), X1
	MOVUPS 16(SI), X2
	MOVUPS 32(SI), X3
	MOVUPS 48(SI), X4
	MULPS  X0, X1
	MULPS  X0, X2
	MULPS  X0, X3
	MULPS  X0, X4
	MOVUPS (DI), X5
	MOVUPS 16(DI), X6
	MOVUPS 32(DI), X7
	MOVUPS 48(DI), X8
	ADDPS  X5, X1
	ADDPS  X6, X2
	ADDPS  X7, X3
	ADDPS  X8, X4
	MOVUPS X1, (DI)
	MOVUPS X2, 16(DI)
	MOVUPS X3, 32(DI)
	MOVUPS X4, 48(DI)
	ADDQ   $64, SI
	ADDQ   $64, DI
	SUBQ   $16, CX
	JMP    loop16

loop4:
	CMPQ   CX, $4
	JLT    tail
	MOVUPS (SI), X1
	MULPS  X0, X1
	MOVUPS (DI), X5
	ADDPS  X5, X1
	MOVUPS X1, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DI
	SUBQ   $4, CX
	JMP    loop4

tail:
	CMPQ   CX, $0
	JEQ    done
	MOVSS  (SI), X1
	MULSS  X0, X1
	ADDSS  (DI), X1
	MOVSS  X1, (DI)
	ADDQ   $4, SI
	ADDQ   $4, DI
	DECQ   CX
	JMP    tail

done:
	RET

// func prefetchRow(p *float32, n int)
// Asks the CPU to start loading the n bytes at p into the cache; it reads
// nothing and cannot fault.
TEXT ·prefetchRow(SB), NOSPLIT, $0-16
	MOVQ       p+0(FP), AX
	MOVQ       n+8(FP), CX
	LEAQ       -1(AX)(CX*1), DX
	PREFETCHT0 (DX)

pf:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	SUBQ       $64, CX
	JGT        pf
	RET
