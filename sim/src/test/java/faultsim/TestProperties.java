package faultsim;

import java.util.concurrent.Callable;

/** Java system properties set for the length of a test's call, then put back as they were. */
public final class TestProperties {
  private TestProperties() {}

  /** Runs {@code body} with system property {@code name} set to {@code value}. */
  public static <T> T with(String name, String value, Callable<T> body) throws Exception {
    String old = System.getProperty(name);
    System.setProperty(name, value);
    try {
      return body.call();
    } finally {
      if (old == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, old);
      }
    }
  }
}
