;; The solver's vector loops in WebAssembly SIMD (two doubles per instruction),
;; the way NumPy runs its loops in vectorised C. V8 runs the same loops in
;; JavaScript one double at a time, three to four times slower.
;;
;; Every function takes byte offsets into the module's memory, where
;; kernels.mjs places the vectors. The arithmetic is the scalar loops' own,
;; in the same order (no fused multiply-add; dot products keep four partial
;; sums, element i in sum i mod 4), so results are bit for bit those of the
;; plain JavaScript loops.
;;
;; Assemble with `node examples/solver/build-kernels.mjs` after an edit.
(module
  (memory (export "memory") 1)

  ;; a[i] += alpha * b[i] for i < n
  (func (export "axpy") (param $a i32) (param $b i32) (param $n i32) (param $alpha f64)
    (local $end i32) (local $end4 i32) (local $al v128)
    (local.set $al (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end4 (i32.sub (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $a) (local.get $end4)))
        (v128.store (local.get $a)
          (f64x2.add (v128.load (local.get $a)) (f64x2.mul (local.get $al) (v128.load (local.get $b)))))
        (v128.store offset=16 (local.get $a)
          (f64x2.add (v128.load offset=16 (local.get $a)) (f64x2.mul (local.get $al) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $four)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $a)
          (f64.add (f64.load (local.get $a)) (f64.mul (local.get $alpha) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $one))))

  ;; a[i] = b[i] + beta * a[i] for i < n
  (func (export "aypx") (param $a i32) (param $b i32) (param $n i32) (param $beta f64)
    (local $end i32) (local $end4 i32) (local $be v128)
    (local.set $be (f64x2.splat (local.get $beta)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end4 (i32.sub (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $a) (local.get $end4)))
        (v128.store (local.get $a)
          (f64x2.add (v128.load (local.get $b)) (f64x2.mul (local.get $be) (v128.load (local.get $a)))))
        (v128.store offset=16 (local.get $a)
          (f64x2.add (v128.load offset=16 (local.get $b)) (f64x2.mul (local.get $be) (v128.load offset=16 (local.get $a)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $four)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $a)
          (f64.add (f64.load (local.get $b)) (f64.mul (local.get $beta) (f64.load (local.get $a)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $one))))

  ;; sum of a[i] * b[i] for i < n: partial sums s0..s3 for i mod 4, the tail
  ;; into s0, then (s0 + s1) + (s2 + s3)
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $end i32) (local $end4 i32) (local $s01 v128) (local $s23 v128) (local $s0 f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end4 (i32.sub (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $a) (local.get $end4)))
        (local.set $s01 (f64x2.add (local.get $s01)
          (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $s23 (f64x2.add (local.get $s23)
          (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $four)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $one)))
    (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))

  ;; sum of a[i] * a[i] for i < n (one load per element), summed as dot sums
  (func (export "squares") (param $a i32) (param $n i32) (result f64)
    (local $end i32) (local $end4 i32) (local $s01 v128) (local $s23 v128) (local $s0 f64)
    (local $v v128) (local $w v128) (local $x f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end4 (i32.sub (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $a) (local.get $end4)))
        (local.set $v (v128.load (local.get $a)))
        (local.set $w (v128.load offset=16 (local.get $a)))
        (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $v) (local.get $v))))
        (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $w) (local.get $w))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (br $four)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $x (f64.load (local.get $a)))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $x) (local.get $x))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $one)))
    (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))

  ;; One row of the 5-point Laplacian: y[j] = 4 x[j] - up[j] - down[j] -
  ;; x[j - 1] - x[j + 1] for j < n, subtracted in that order, with zero beyond
  ;; the first and last columns.
  (func $stencilRow (param $x i32) (param $y i32) (param $up i32) (param $down i32) (param $n i32)
    (local $last i32) (local $four v128)
    (local.set $four (f64x2.splat (f64.const 4)))
    ;; the last column of y
    (local.set $last (i32.add (local.get $y) (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 3))))
    (if (i32.eq (local.get $n) (i32.const 1))
      (then
        (f64.store (local.get $y)
          (f64.sub (f64.sub (f64.mul (f64.const 4) (f64.load (local.get $x))) (f64.load (local.get $up)))
            (f64.load (local.get $down))))
        (return)))
    ;; the first column: no left neighbour
    (f64.store (local.get $y)
      (f64.sub
        (f64.sub (f64.sub (f64.mul (f64.const 4) (f64.load (local.get $x))) (f64.load (local.get $up)))
          (f64.load (local.get $down)))
        (f64.load offset=8 (local.get $x))))
    ;; from here on $x points at the left neighbour of the column $y points at
    (local.set $y (i32.add (local.get $y) (i32.const 8)))
    (local.set $up (i32.add (local.get $up) (i32.const 8)))
    (local.set $down (i32.add (local.get $down) (i32.const 8)))
    (block $done2
      (loop $two
        (br_if $done2 (i32.gt_u (i32.add (local.get $y) (i32.const 16)) (local.get $last)))
        (v128.store (local.get $y)
          (f64x2.sub
            (f64x2.sub
              (f64x2.sub
                (f64x2.sub (f64x2.mul (local.get $four) (v128.load offset=8 (local.get $x))) (v128.load (local.get $up)))
                (v128.load (local.get $down)))
              (v128.load (local.get $x)))
            (v128.load offset=16 (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $up (i32.add (local.get $up) (i32.const 16)))
        (local.set $down (i32.add (local.get $down) (i32.const 16)))
        (br $two)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $y) (local.get $last)))
        (f64.store (local.get $y)
          (f64.sub
            (f64.sub
              (f64.sub
                (f64.sub (f64.mul (f64.const 4) (f64.load offset=8 (local.get $x))) (f64.load (local.get $up)))
                (f64.load (local.get $down)))
              (f64.load (local.get $x)))
            (f64.load offset=16 (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $up (i32.add (local.get $up) (i32.const 8)))
        (local.set $down (i32.add (local.get $down) (i32.const 8)))
        (br $one)))
    ;; the last column: no right neighbour
    (f64.store (local.get $y)
      (f64.sub
        (f64.sub (f64.sub (f64.mul (f64.const 4) (f64.load offset=8 (local.get $x))) (f64.load (local.get $up)))
          (f64.load (local.get $down)))
        (f64.load (local.get $x)))))
;; y = A x for the 5-point Laplacian on `rows` rows of n: each row of x
  ;; with the row above it and the row below it, the first row's upper
  ;; neighbour and the last row's lower one from the halo rows above and below.
  (func (export "stencil") (param $x i32) (param $y i32) (param $above i32) (param $below i32) (param $n i32) (param $rows i32)
    (local $stride i32) (local $lastRow i32)
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (if (i32.eq (local.get $rows) (i32.const 1))
      (then
        (call $stencilRow (local.get $x) (local.get $y) (local.get $above) (local.get $below) (local.get $n))
        (return)))
    (local.set $lastRow (i32.add (local.get $x) (i32.mul (local.get $stride) (i32.sub (local.get $rows) (i32.const 1)))))
    (call $stencilRow (local.get $x) (local.get $y) (local.get $above) (i32.add (local.get $x) (local.get $stride)) (local.get $n))
    (block $done
      (loop $row
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (local.set $y (i32.add (local.get $y) (local.get $stride)))
        (br_if $done (i32.ge_u (local.get $x) (local.get $lastRow)))
        (call $stencilRow (local.get $x) (local.get $y)
          (i32.sub (local.get $x) (local.get $stride)) (i32.add (local.get $x) (local.get $stride)) (local.get $n))
        (br $row)))
    (call $stencilRow (local.get $x) (local.get $y) (i32.sub (local.get $x) (local.get $stride)) (local.get $below) (local.get $n)))
)
