(func $cmac (export "cmac") (param $spans i32) (param $span i32) (param $C i32) (param $P i32) (param $slot i32) (param $fdl i32) (param $ring i32) (param $row i32) (param $h i32) (param $hChan i32) (param $chan i32) (param $acc i32) (param $accChan i32)
  (local $c i32)
  (local $fc i32)
  (local $hc i32)
  (local $ac i32)
  (local $xr i32)
  (local $hr i32)
  (local $o i32)
  (local $g1 i32)
  (local $x0 i32)
  (local $x1 i32)
  (local $x2 i32)
  (local $x3 i32)
  (local $h0 i32)
  (local $h1 i32)
  (local $h2 i32)
  (local $h3 i32)
  (local $r0 v128)
  (local $r1 v128)
  (local $u0 v128)
  (local $u1 v128)
  (local $v v128)
  (local.set $g1 (i32.and (local.get $P) (i32.const 3)))
  loop $span
    (local.set $c (local.get $C))
    (local.set $fc (local.get $fdl))
    (local.set $hc (local.get $h))
    (local.set $ac (local.get $acc))
    loop $channel
      (local.set $xr (i32.add (local.get $fc) (local.get $slot)))
      (local.set $hr (local.get $hc))
      block $first
        (i32.eqz (i32.sub (local.get $g1) (i32.const 1)))
        if $first1
          (local.set $x0 (local.get $xr))
          (local.set $h0 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap0
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap0
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $o (i32.const 0))
          loop $first1_bins
            (local.set $v (v128.load (i32.add (local.get $x0) (local.get $o))))
            (local.set $r0 (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u0 (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h0) (local.get $o)))))
            (v128.store (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r0) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u0) (local.get $u0)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x0) (local.get $o))))
            (local.set $r1 (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u1 (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h0) (local.get $o)))))
            (v128.store offset=16 (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r1) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u1) (local.get $u1)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
            (br_if $first1_bins (i32.ne (local.tee $o (i32.add (local.get $o) (i32.const 32))) (local.get $span))) ;; depth 0
          end $first1_bins
          (br $first) ;; depth 1
        end $first1
        (i32.eqz (i32.sub (local.get $g1) (i32.const 2)))
        if $first2
          (local.set $x0 (local.get $xr))
          (local.set $h0 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap0
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap0
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $x1 (local.get $xr))
          (local.set $h1 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap1
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap1
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $o (i32.const 0))
          loop $first2_bins
            (local.set $v (v128.load (i32.add (local.get $x0) (local.get $o))))
            (local.set $r0 (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u0 (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $v (v128.load (i32.add (local.get $x1) (local.get $o))))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h1) (local.get $o))))))
            (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h1) (local.get $o))))))
            (v128.store (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r0) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u0) (local.get $u0)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x0) (local.get $o))))
            (local.set $r1 (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u1 (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x1) (local.get $o))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h1) (local.get $o))))))
            (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h1) (local.get $o))))))
            (v128.store offset=16 (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r1) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u1) (local.get $u1)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
            (br_if $first2_bins (i32.ne (local.tee $o (i32.add (local.get $o) (i32.const 32))) (local.get $span))) ;; depth 0
          end $first2_bins
          (br $first) ;; depth 1
        end $first2
        (i32.eqz (i32.sub (local.get $g1) (i32.const 3)))
        if $first3
          (local.set $x0 (local.get $xr))
          (local.set $h0 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap0
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap0
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $x1 (local.get $xr))
          (local.set $h1 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap1
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap1
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $x2 (local.get $xr))
          (local.set $h2 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap2
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap2
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $o (i32.const 0))
          loop $first3_bins
            (local.set $v (v128.load (i32.add (local.get $x0) (local.get $o))))
            (local.set $r0 (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u0 (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $v (v128.load (i32.add (local.get $x1) (local.get $o))))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h1) (local.get $o))))))
            (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h1) (local.get $o))))))
            (local.set $v (v128.load (i32.add (local.get $x2) (local.get $o))))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h2) (local.get $o))))))
            (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h2) (local.get $o))))))
            (v128.store (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r0) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u0) (local.get $u0)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x0) (local.get $o))))
            (local.set $r1 (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u1 (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x1) (local.get $o))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h1) (local.get $o))))))
            (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h1) (local.get $o))))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x2) (local.get $o))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h2) (local.get $o))))))
            (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h2) (local.get $o))))))
            (v128.store offset=16 (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r1) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u1) (local.get $u1)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
            (br_if $first3_bins (i32.ne (local.tee $o (i32.add (local.get $o) (i32.const 32))) (local.get $span))) ;; depth 0
          end $first3_bins
          (br $first) ;; depth 1
        end $first3
        (local.set $x0 (local.get $xr))
        (local.set $h0 (local.get $hr))
        (local.set $hr (i32.add (local.get $hr) (local.get $row)))
        (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
        if $wrap0
          (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
        end $wrap0
        (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
        (local.set $x1 (local.get $xr))
        (local.set $h1 (local.get $hr))
        (local.set $hr (i32.add (local.get $hr) (local.get $row)))
        (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
        if $wrap1
          (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
        end $wrap1
        (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
        (local.set $x2 (local.get $xr))
        (local.set $h2 (local.get $hr))
        (local.set $hr (i32.add (local.get $hr) (local.get $row)))
        (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
        if $wrap2
          (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
        end $wrap2
        (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
        (local.set $x3 (local.get $xr))
        (local.set $h3 (local.get $hr))
        (local.set $hr (i32.add (local.get $hr) (local.get $row)))
        (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
        if $wrap3
          (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
        end $wrap3
        (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
        (local.set $o (i32.const 0))
        loop $first4_bins
          (local.set $v (v128.load (i32.add (local.get $x0) (local.get $o))))
          (local.set $r0 (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h0) (local.get $o)))))
          (local.set $u0 (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h0) (local.get $o)))))
          (local.set $v (v128.load (i32.add (local.get $x1) (local.get $o))))
          (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h1) (local.get $o))))))
          (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h1) (local.get $o))))))
          (local.set $v (v128.load (i32.add (local.get $x2) (local.get $o))))
          (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h2) (local.get $o))))))
          (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h2) (local.get $o))))))
          (local.set $v (v128.load (i32.add (local.get $x3) (local.get $o))))
          (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h3) (local.get $o))))))
          (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h3) (local.get $o))))))
          (v128.store (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r0) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u0) (local.get $u0)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
          (local.set $v (v128.load offset=16 (i32.add (local.get $x0) (local.get $o))))
          (local.set $r1 (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h0) (local.get $o)))))
          (local.set $u1 (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h0) (local.get $o)))))
          (local.set $v (v128.load offset=16 (i32.add (local.get $x1) (local.get $o))))
          (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h1) (local.get $o))))))
          (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h1) (local.get $o))))))
          (local.set $v (v128.load offset=16 (i32.add (local.get $x2) (local.get $o))))
          (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h2) (local.get $o))))))
          (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h2) (local.get $o))))))
          (local.set $v (v128.load offset=16 (i32.add (local.get $x3) (local.get $o))))
          (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h3) (local.get $o))))))
          (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h3) (local.get $o))))))
          (v128.store offset=16 (i32.add (local.get $ac) (local.get $o)) (f64x2.add (local.get $r1) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u1) (local.get $u1)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000))))
          (br_if $first4_bins (i32.ne (local.tee $o (i32.add (local.get $o) (i32.const 32))) (local.get $span))) ;; depth 0
        end $first4_bins
      end $first
      block $rest
        loop $groups
          (br_if $rest (i32.eqz (i32.sub (local.get $hr) (i32.add (local.get $hc) (local.get $ring))))) ;; depth 1
          (local.set $x0 (local.get $xr))
          (local.set $h0 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap0
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap0
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $x1 (local.get $xr))
          (local.set $h1 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap1
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap1
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $x2 (local.get $xr))
          (local.set $h2 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap2
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap2
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $x3 (local.get $xr))
          (local.set $h3 (local.get $hr))
          (local.set $hr (i32.add (local.get $hr) (local.get $row)))
          (i32.eqz (i32.sub (local.get $xr) (local.get $fc)))
          if $wrap3
            (local.set $xr (i32.add (local.get $xr) (local.get $ring)))
          end $wrap3
          (local.set $xr (i32.sub (local.get $xr) (local.get $row)))
          (local.set $o (i32.const 0))
          loop $more4_bins
            (local.set $v (v128.load (i32.add (local.get $x0) (local.get $o))))
            (local.set $r0 (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u0 (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $v (v128.load (i32.add (local.get $x1) (local.get $o))))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h1) (local.get $o))))))
            (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h1) (local.get $o))))))
            (local.set $v (v128.load (i32.add (local.get $x2) (local.get $o))))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h2) (local.get $o))))))
            (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h2) (local.get $o))))))
            (local.set $v (v128.load (i32.add (local.get $x3) (local.get $o))))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $v) (v128.load64_splat (i32.add (local.get $h3) (local.get $o))))))
            (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $v) (v128.load64_splat offset=8 (i32.add (local.get $h3) (local.get $o))))))
            (v128.store (i32.add (local.get $ac) (local.get $o)) (f64x2.add (v128.load (i32.add (local.get $ac) (local.get $o))) (f64x2.add (local.get $r0) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u0) (local.get $u0)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000)))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x0) (local.get $o))))
            (local.set $r1 (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $u1 (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h0) (local.get $o)))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x1) (local.get $o))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h1) (local.get $o))))))
            (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h1) (local.get $o))))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x2) (local.get $o))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h2) (local.get $o))))))
            (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h2) (local.get $o))))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $x3) (local.get $o))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $v) (v128.load64_splat offset=16 (i32.add (local.get $h3) (local.get $o))))))
            (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $v) (v128.load64_splat offset=24 (i32.add (local.get $h3) (local.get $o))))))
            (v128.store offset=16 (i32.add (local.get $ac) (local.get $o)) (f64x2.add (v128.load offset=16 (i32.add (local.get $ac) (local.get $o))) (f64x2.add (local.get $r1) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u1) (local.get $u1)) (v128.const i32x4 0x00000000 0xbff00000 0x00000000 0x3ff00000)))))
            (br_if $more4_bins (i32.ne (local.tee $o (i32.add (local.get $o) (i32.const 32))) (local.get $span))) ;; depth 0
          end $more4_bins
          (br $groups) ;; depth 0
        end $groups
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
