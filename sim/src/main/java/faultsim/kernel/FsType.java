package faultsim.kernel;

import java.util.Locale;

/** The file system a file lives on; it decides which punch and fault paths a design runs. */
public enum FsType {
  EXT4, XFS, TMPFS, DAX;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FsType parse(String s) {
    for (FsType f : values()) {
      if (f.key().equals(s)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown file system '" + s
        + "'; expected ext4, xfs, tmpfs or dax");
  }
}
