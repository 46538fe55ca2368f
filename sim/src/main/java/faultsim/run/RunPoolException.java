package faultsim.run;

/**
 * A pool can no longer run a sweep's runs: the cluster is gone, or a run was lost with its host
 * too often. Points written before it stay written; running the sweep again resumes.
 */
public final class RunPoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunPoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
