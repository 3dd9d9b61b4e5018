#include "textflag.h"

// func dotsInt8AVX2(out []int32, rows []int8, q []int16, stride int)
// out[r] = sum over i < stride of rows[r*stride+i] * q[i], for r < len(out).
// stride is a multiple of 32 and len(q) >= stride. Each row's bytes are
// widened to 16 bits and multiplied in pairs (VPMADDWD), so no product or
// sum saturates: |x*q| <= 127*127 and a row has at most a few thousand terms.
TEXT ·dotsInt8AVX2(SB), NOSPLIT, $0-80
	MOVQ out_base+0(FP), DI
	MOVQ out_len+8(FP), R8
	MOVQ rows_base+24(FP), SI
	MOVQ q_base+48(FP), R9
	MOVQ stride+72(FP), R10
	SHRQ $5, R10          // 32-byte blocks per row

row:
	TESTQ R8, R8
	JZ    done
	VPXOR Y0, Y0, Y0
	VPXOR Y4, Y4, Y4
	MOVQ  R9, DX
	MOVQ  R10, CX

block:
	VPMOVSXBW (SI), Y1
	VPMOVSXBW 16(SI), Y2
	VPMADDWD  (DX), Y1, Y1
	VPMADDWD  32(DX), Y2, Y2
	VPADDD    Y1, Y0, Y0
	VPADDD    Y2, Y4, Y4
	ADDQ      $32, SI
	ADDQ      $64, DX
	DECQ      CX
	JNZ       block

	VPADDD       Y4, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0x4E, X0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0xB1, X0, X1
	VPADDD       X1, X0, X0
	VMOVD        X0, AX
	MOVL         AX, (DI)
	ADDQ         $4, DI
	DECQ         R8
	JMP          row

done:
	VZEROUPPER
	RET

// func dotF32AVX2(a, b []float32) float32
// The dot product of a and b[:len(a)], len(a) a multiple of 16, with four
// FMA accumulators.
TEXT ·dotF32AVX2(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	SHRQ   $4, CX
	JZ     sum

loop:
	VMOVUPS     (SI), Y2
	VMOVUPS     32(SI), Y3
	VFMADD231PS (DX), Y2, Y0
	VFMADD231PS 32(DX), Y3, Y1
	ADDQ        $64, SI
	ADDQ        $64, DX
	DECQ        CX
	JNZ         loop

sum:
	VADDPS       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0x4E, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xB1, X0, X1
	VADDPS       X1, X0, X0
	VZEROUPPER
	MOVSS        X0, ret+48(FP)
	RET
