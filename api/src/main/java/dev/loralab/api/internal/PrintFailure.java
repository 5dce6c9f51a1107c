package dev.loralab.api.internal;

/** Why a message cannot be printed; caught at the printer's entry and turned into its API error. */
final class PrintFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PrintFailure(String reason) {
    super(reason, null, false, false);
  }
}
