package dev.lancet.udf.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.fixtures.Kinds;
import dev.lancet.udf.fixtures.Udfs;
import dev.lancet.udf.fixtures.Widening;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/** The fast path is really taken: primitive, boxed and string signatures compile to a kernel. */
class KernelCompilerTest {
  @Test
  void primitiveBoxedAndStringSignaturesCompileAndRicherTypesDoNot() throws Exception {
    try (BufferAllocator a = new RootAllocator();
        IntVector x = new IntVector("x", a);
        IntVector y = new IntVector("y", a);
        BigIntVector out = new BigIntVector("o", a);
        VarCharVector s = new VarCharVector("s", a);
        IntVector intOut = new IntVector("i", a)) {
      var area = UdfSignature.of(Udfs.Area.class).call();
      assertTrue(
          KernelCompiler.compile(area, new ValueVector[] {x, y}, out).isPresent(),
          KernelCompiler.source(area, new ValueVector[] {x, y}, out));
      var nulls = UdfSignature.of(Udfs.NullCounter.class).call();
      assertTrue(KernelCompiler.compile(nulls, new ValueVector[] {x, s}, intOut).isPresent());
      var upper = UdfSignature.of(Udfs.Upper.class).call();
      assertTrue(KernelCompiler.compile(upper, new ValueVector[] {s}, s).isPresent());
      var widen = UdfSignature.of(Udfs.Widen.class).call();
      assertTrue(
          KernelCompiler.compile(widen, new ValueVector[] {x, x}, out).isEmpty(),
          "double output into a bigint vector is not compiled");
      var embed = UdfSignature.of(Kinds.Embed.class).call();
      assertTrue(
          KernelCompiler.compile(embed, new ValueVector[] {s}, out).isEmpty(),
          "float[] goes through codecs");
    }
  }

  @Test
  void widenedInputsCompileToAKernel() {
    try (BufferAllocator a = new RootAllocator();
        IntVector i = new IntVector("i", a);
        BigIntVector l = new BigIntVector("l", a);
        Float4Vector f = new Float4Vector("f", a);
        SmallIntVector s = new SmallIntVector("s", a);
        VarCharVector out = new VarCharVector("o", a)) {
      Object[][] cases = {
        {Widening.ToLong.class, i},
        {Widening.ToFloat.class, i},
        {Widening.ToDouble.class, i},
        {Widening.ToDouble.class, l},
        {Widening.ToDouble.class, f},
        {Widening.ToBoxedLong.class, i},
        {Widening.ToBoxedDouble.class, i},
        {Widening.ToInt.class, s},
      };
      for (Object[] c : cases) {
        var call = UdfSignature.of((Class<?>) c[0]).call();
        ValueVector[] in = {(ValueVector) c[1]};
        assertTrue(
            KernelCompiler.compile(call, in, out).isPresent(),
            KernelCompiler.source(call, in, out));
      }
    }
  }
}
