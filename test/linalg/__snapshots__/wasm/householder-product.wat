(func $product (export "product") (param $W i32) (param $d i32) (param $e i32) (param $n8 i32) (param $i i32) (param $row i32)
  (local $j i32)
  (local $pa i32)
  (local $p i32)
  (local $q i32)
  (local $pd i32)
  (local $pe i32)
  (local $m i32)
  (local $fa v128)
  (local $fb v128)
  (local $ga v128)
  (local $gb v128)
  (local $v v128)
  (local $g v128)
  (local $A v128)
  (local $B v128)
  (local $D v128)
  (local.set $pa (local.get $W))
  block $done
    loop $pair
      (br_if $done (i32.eqz (i32.ge_u (local.get $i) (i32.add (local.get $j) (i32.const 2))))) ;; depth 1
      (local.set $fa (v128.load64_splat (local.get $d)))
      (local.set $fb (v128.load64_splat offset=8 (local.get $d)))
      (v128.store align=8 (local.get $row) (v128.load align=8 (local.get $d)))
      (local.set $ga (f64x2.add (v128.load64_splat (local.get $e)) (f64x2.mul (v128.load64_splat (local.get $pa)) (local.get $fa))))
      (local.set $v (v128.load64_splat offset=8 (local.get $pa)))
      (local.set $ga (f64x2.add (local.get $ga) (f64x2.mul (local.get $v) (local.get $fb))))
      (local.set $gb (f64x2.add (v128.load64_splat offset=8 (local.get $e)) (f64x2.mul (local.get $v) (local.get $fa))))
      (local.set $gb (f64x2.add (local.get $gb) (f64x2.mul (v128.load64_splat offset=8 (i32.add (local.get $pa) (local.get $n8))) (local.get $fb))))
      (local.set $g (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ga) (local.get $gb)))
      (local.set $p (i32.add (local.get $pa) (i32.const 16)))
      (local.set $q (i32.add (local.get $p) (local.get $n8)))
      (local.set $pd (i32.add (local.get $d) (i32.const 16)))
      (local.set $pe (i32.add (local.get $e) (i32.const 16)))
      (local.set $m (i32.sub (i32.sub (local.get $i) (local.get $j)) (i32.const 2)))
      block $kdone
        loop $k2
          (br_if $kdone (i32.eqz (i32.ge_u (local.get $m) (i32.const 2)))) ;; depth 1
          (local.set $A (v128.load align=8 (local.get $p)))
          (local.set $B (v128.load align=8 (local.get $q)))
          (local.set $D (v128.load align=8 (local.get $pd)))
          (local.set $g (f64x2.add (local.get $g) (f64x2.mul (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $A) (local.get $B)) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $D) (local.get $D)))))
          (local.set $g (f64x2.add (local.get $g) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $A) (local.get $B)) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $D) (local.get $D)))))
          (v128.store align=8 (local.get $pe) (f64x2.add (f64x2.add (v128.load align=8 (local.get $pe)) (f64x2.mul (local.get $A) (local.get $fa))) (f64x2.mul (local.get $B) (local.get $fb))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (local.set $pd (i32.add (local.get $pd) (i32.const 16)))
          (local.set $pe (i32.add (local.get $pe) (i32.const 16)))
          (local.set $m (i32.sub (local.get $m) (i32.const 2)))
          (br $k2) ;; depth 0
        end $k2
      end $kdone
      (local.get $m)
      if $odd
        (local.set $A (v128.load64_splat (local.get $p)))
        (local.set $B (v128.load64_splat (local.get $q)))
        (local.set $g (f64x2.add (local.get $g) (f64x2.mul (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $A) (local.get $B)) (v128.load64_splat (local.get $pd)))))
        (v128.store64_lane 0 (local.get $pe) (f64x2.add (f64x2.add (v128.load64_splat (local.get $pe)) (f64x2.mul (local.get $A) (local.get $fa))) (f64x2.mul (local.get $B) (local.get $fb))))
      end $odd
      (v128.store align=8 (local.get $e) (local.get $g))
      (local.set $pa (i32.add (i32.add (i32.add (local.get $pa) (local.get $n8)) (local.get $n8)) (i32.const 16)))
      (local.set $d (i32.add (local.get $d) (i32.const 16)))
      (local.set $e (i32.add (local.get $e) (i32.const 16)))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $pair) ;; depth 0
    end $pair
  end $done)
