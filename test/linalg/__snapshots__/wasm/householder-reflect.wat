(func $reflect (export "reflect") (param $u i32) (param $h i32) (param $z i32) (param $i i32) (param $pairs i32) (param $pairStride i32)
  (local $p i32)
  (local $q i32)
  (local $m i32)
  (local $g v128)
  loop $pair
    (local.set $g (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000))
    (local.set $p (local.get $u))
    (local.set $q (local.get $z))
    (local.set $m (local.get $i))
    loop $dot
      (local.set $g (f64x2.add (local.get $g) (f64x2.mul (v128.load64_splat (local.get $p)) (v128.load align=8 (local.get $q)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $dot (local.tee $m (i32.sub (local.get $m) (i32.const 1)))) ;; depth 0
    end $dot
    (local.set $g (f64x2.div (local.get $g) (v128.load64_splat (local.get $h))))
    (local.set $p (local.get $u))
    (local.set $q (local.get $z))
    (local.set $m (local.get $i))
    loop $axpy
      (v128.store align=8 (local.get $q) (f64x2.sub (v128.load align=8 (local.get $q)) (f64x2.mul (local.get $g) (v128.load64_splat (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $axpy (local.tee $m (i32.sub (local.get $m) (i32.const 1)))) ;; depth 0
    end $axpy
    (local.set $z (i32.add (local.get $z) (local.get $pairStride)))
    (br_if $pair (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1)))) ;; depth 0
  end $pair)
