package org.cjassessment.core.pairs;

import java.util.ArrayList;
import java.util.List;
import org.cjassessment.core.bt.Comparison;

/**
 * Splits the pairs of a batch into two streams that the adaptive selector keeps independent: a pair belongs to one
 * stream for good (a hash of its two essay ids), and the pairs of each stream are chosen from a fit of that stream's
 * own judgements only.
 *
 * <p>Why: an adaptive design is made of the outcomes. Pairing winners with winners puts the early luck of an essay
 * into its later opponents, so two halves of the same adaptive data agree even on coin tosses (split-half read 0.81
 * there, SSR 0.90, the truth 0.01; docs/PAIRING.md). Two streams that never see each other's outcomes are two
 * independent measurements of the same essays, so their agreement — the split-half reliability of adaptive batches
 * ({@code SplitHalfReliability.ofStreams}) — is honest by construction, whatever the selector does within a stream.
 *
 * <p>The stream is a function of the ids only, so the service needs to store nothing to know it.
 */
public final class PairStreams {

  public static final int COUNT = 2;

  private PairStreams() {}

  /** The stream (0 or 1) of the unordered pair {a, b}. */
  public static int of(String a, String b) {
    boolean aFirst = a.compareTo(b) <= 0;
    String low = aFirst ? a : b;
    String high = aFirst ? b : a;
    // String.hashCode is specified by the JLS, so the stream of a pair is the same in every JVM and release
    long h = low.hashCode() * 0x9E3779B97F4A7C15L + high.hashCode();
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return (int) (h & 1);
  }

  public static int of(Comparison c) {
    return of(c.winner(), c.loser());
  }

  /** The comparisons of each stream, in their original order. */
  public static List<List<Comparison>> split(List<Comparison> comparisons) {
    List<List<Comparison>> streams = List.of(new ArrayList<>(), new ArrayList<>());
    for (Comparison c : comparisons) {
      streams.get(of(c)).add(c);
    }
    return streams;
  }
}
