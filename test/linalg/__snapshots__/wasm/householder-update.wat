(func $update (export "update") (param $W i32) (param $d i32) (param $e i32) (param $n8 i32) (param $i i32) (param $last i32)
  (local $j i32)
  (local $pa i32)
  (local $p i32)
  (local $q i32)
  (local $pd i32)
  (local $pe i32)
  (local $m i32)
  (local $fa v128)
  (local $ga v128)
  (local $fb v128)
  (local $gb v128)
  (local $E v128)
  (local $D v128)
  (local.set $pa (local.get $W))
  block $done
    loop $pair
      (br_if $done (i32.eqz (i32.ge_u (local.get $i) (i32.add (local.get $j) (i32.const 2))))) ;; depth 1
      (local.set $fa (v128.load64_splat (local.get $d)))
      (local.set $ga (v128.load64_splat (local.get $e)))
      (local.set $fb (v128.load64_splat offset=8 (local.get $d)))
      (local.set $gb (v128.load64_splat offset=8 (local.get $e)))
      (v128.store64_lane 0 (local.get $pa) (f64x2.sub (v128.load64_splat (local.get $pa)) (f64x2.add (f64x2.mul (local.get $fa) (local.get $ga)) (f64x2.mul (local.get $ga) (local.get $fa)))))
      (local.set $p (i32.add (local.get $pa) (i32.const 8)))
      (local.set $q (i32.add (local.get $p) (local.get $n8)))
      (local.set $pd (i32.add (local.get $d) (i32.const 8)))
      (local.set $pe (i32.add (local.get $e) (i32.const 8)))
      (local.set $m (i32.sub (i32.sub (local.get $i) (local.get $j)) (i32.const 1)))
      block $kdone
        loop $k2
          (br_if $kdone (i32.eqz (i32.ge_u (local.get $m) (i32.const 2)))) ;; depth 1
          (local.set $E (v128.load align=8 (local.get $pe)))
          (local.set $D (v128.load align=8 (local.get $pd)))
          (v128.store align=8 (local.get $p) (f64x2.sub (v128.load align=8 (local.get $p)) (f64x2.add (f64x2.mul (local.get $fa) (local.get $E)) (f64x2.mul (local.get $ga) (local.get $D)))))
          (v128.store align=8 (local.get $q) (f64x2.sub (v128.load align=8 (local.get $q)) (f64x2.add (f64x2.mul (local.get $fb) (local.get $E)) (f64x2.mul (local.get $gb) (local.get $D)))))
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
        (local.set $E (v128.load64_splat (local.get $pe)))
        (local.set $D (v128.load64_splat (local.get $pd)))
        (v128.store64_lane 0 (local.get $p) (f64x2.sub (v128.load64_splat (local.get $p)) (f64x2.add (f64x2.mul (local.get $fa) (local.get $E)) (f64x2.mul (local.get $ga) (local.get $D)))))
        (v128.store64_lane 0 (local.get $q) (f64x2.sub (v128.load64_splat (local.get $q)) (f64x2.add (f64x2.mul (local.get $fb) (local.get $E)) (f64x2.mul (local.get $gb) (local.get $D)))))
      end $odd
      (v128.store64_lane 0 (local.get $d) (v128.load64_splat (local.get $last)))
      (v128.store64_lane offset=8 0 (local.get $d) (v128.load64_splat (i32.add (local.get $last) (local.get $n8))))
      (v128.store64_lane offset=8 0 (local.get $last) (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000))
      (v128.store64_lane offset=8 0 (i32.add (local.get $last) (local.get $n8)) (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000))
      (local.set $pa (i32.add (i32.add (i32.add (local.get $pa) (local.get $n8)) (local.get $n8)) (i32.const 16)))
      (local.set $last (i32.add (i32.add (local.get $last) (local.get $n8)) (local.get $n8)))
      (local.set $d (i32.add (local.get $d) (i32.const 16)))
      (local.set $e (i32.add (local.get $e) (i32.const 16)))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $pair) ;; depth 0
    end $pair
  end $done)
