(func $cmac (export "cmac") (param $spans i32) (param $span i32) (param $C i32) (param $P i32) (param $slot i32) (param $fdl i32) (param $ring i32) (param $row i32) (param $h i32) (param $hChan i32) (param $chan i32) (param $acc i32) (param $accChan i32)
  (local $c i32)
  (local $fc i32)
  (local $hc i32)
  (local $ac i32)
  (local $xr i32)
  (local $hr i32)
  (local $p i32)
  (local $xp i32)
  (local $hp i32)
  (local $ap i32)
  (local $end i32)
  (local $v v128)
  (local $w v128)
  loop $span
    (local.set $c (local.get $C))
    (local.set $fc (local.get $fdl))
    (local.set $hc (local.get $h))
    (local.set $ac (local.get $acc))
    loop $channel
      (local.set $xr (i32.add (local.get $fc) (local.get $slot)))
      (local.set $hr (local.get $hc))
      (local.set $p (local.get $P))
      (local.set $xp (local.get $xr))
      (local.set $hp (local.get $hr))
      (local.set $ap (local.get $ac))
      (local.set $end (i32.add (local.get $ac) (local.get $span)))
      loop $first_bins
        (local.set $v (v128.load (local.get $xp)))
        (local.set $w (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000)))
        (v128.store (local.get $ap) (f64x2.add (f64x2.mul (local.get $v) (v128.load64_splat (local.get $hp))) (f64x2.mul (local.get $w) (v128.load64_splat offset=8 (local.get $hp)))))
        (local.set $v (v128.load offset=16 (local.get $xp)))
        (local.set $w (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000)))
        (v128.store offset=16 (local.get $ap) (f64x2.add (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (local.get $hp))) (f64x2.mul (local.get $w) (v128.load64_splat offset=24 (local.get $hp)))))
        (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
        (local.set $hp (i32.add (local.get $hp) (i32.const 32)))
        (br_if $first_bins (i32.ne (local.tee $ap (i32.add (local.get $ap) (i32.const 32))) (local.get $end))) ;; depth 0
      end $first_bins
      (local.set $hr (i32.add (local.get $hr) (local.get $row)))
      (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
      if $first_wrap
        (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
      end $first_wrap
      (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
      block $rest
        (br_if $rest (i32.eqz (local.tee $p (i32.sub (local.get $p) (i32.const 1))))) ;; depth 0
        loop $partition
          (local.set $xp (local.get $xr))
          (local.set $hp (local.get $hr))
          (local.set $ap (local.get $ac))
          (local.set $end (i32.add (local.get $ac) (local.get $span)))
          loop $bins
            (local.set $v (v128.load (local.get $xp)))
            (local.set $w (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000)))
            (v128.store (local.get $ap) (f64x2.add (v128.load (local.get $ap)) (f64x2.add (f64x2.mul (local.get $v) (v128.load64_splat (local.get $hp))) (f64x2.mul (local.get $w) (v128.load64_splat offset=8 (local.get $hp))))))
            (local.set $v (v128.load offset=16 (local.get $xp)))
            (local.set $w (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000)))
            (v128.store offset=16 (local.get $ap) (f64x2.add (v128.load offset=16 (local.get $ap)) (f64x2.add (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (local.get $hp))) (f64x2.mul (local.get $w) (v128.load64_splat offset=24 (local.get $hp))))))
            (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
            (local.set $hp (i32.add (local.get $hp) (i32.const 32)))
            (br_if $bins (i32.ne (local.tee $ap (i32.add (local.get $ap) (i32.const 32))) (local.get $end))) ;; depth 0
          end $bins
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (br_if $partition (local.tee $p (i32.sub (local.get $p) (i32.const 1)))) ;; depth 0
        end $partition
      end $rest
      (local.set $fc (i32.add (local.get $fc) (local.get $chan)))
      (local.set $hc (i32.add (local.get $hc) (local.get $hChan)))
      (local.set $ac (i32.add (local.get $ac) (local.get $accChan)))
      (br_if $channel (local.tee $c (i32.sub (local.get $c) (i32.const 1)))) ;; depth 0
    end $channel
    (local.set $fdl (i32.add (local.get $fdl) (local.get $span)))
    (local.set $h (i32.add (local.get $h) (local.get $span)))
    (local.set $acc (i32.add (local.get $acc) (local.get $span)))
    (br_if $span (local.tee $spans (i32.sub (local.get $spans) (i32.const 1)))) ;; depth 0
  end $span)
