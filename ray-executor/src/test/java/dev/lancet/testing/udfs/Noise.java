package dev.lancet.testing.udfs;

import java.util.SplittableRandom;

/** 512 bytes no compression shrinks, a function of the row's id: for filling disks. */
public class Noise {
  public byte[] call(int id) {
    byte[] out = new byte[512];
    new SplittableRandom(id).nextBytes(out);
    return out;
  }
}
