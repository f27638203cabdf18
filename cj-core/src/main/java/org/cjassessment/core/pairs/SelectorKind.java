package org.cjassessment.core.pairs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The selectable pair selectors, by the name used in settings ({@code CJ_PAIR_SELECTOR}), requests and the CLI. */
public enum SelectorKind {
  /** Chooses pairs for information about the ranking and the grades from the current fit. */
  ADAPTIVE,
  /** Coverage first, balance always; ignores the scores. */
  COVERAGE,
  /** A random matching per wave: the literature's baseline. */
  RANDOM;

  public static final SelectorKind DEFAULT = ADAPTIVE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public PairSelector selector() {
    return switch (this) {
      case ADAPTIVE -> new AdaptivePairSelector();
      case COVERAGE -> new CoveragePairSelector();
      case RANDOM -> new RandomPairSelector();
    };
  }

  /** Whether pairing depends on earlier outcomes (then SSR is inflated and split-half is the reliability to use). */
  public boolean adaptive() {
    return this == ADAPTIVE;
  }

  public static Optional<SelectorKind> find(String id) {
    return Arrays.stream(values()).filter(k -> k.id().equalsIgnoreCase(id == null ? "" : id.trim())).findFirst();
  }

  public static String ids() {
    return Arrays.stream(values()).map(SelectorKind::id).collect(Collectors.joining(", "));
  }
}
