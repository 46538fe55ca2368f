package faultsim.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** "Did you mean" for misspelt keys and names. */
public final class Suggest {
  private Suggest() {}

  /**
   * The candidate closest to {@code word} within an edit distance of 2 (or a third of it), else
   * the only candidate that {@code word} (of three letters or more) begins.
   */
  public static String closest(String word, Collection<?> candidates) {
    String reordered = sameWords(word, candidates);
    if (reordered != null) {
      return reordered;
    }
    String within = closestWithin(word, candidates);
    if (within != null || word.length() < 3) {
      return within;
    }
    String prefixed = null;
    for (Object o : candidates) {
      String c = String.valueOf(o);
      if (c.startsWith(word)) {
        if (prefixed != null) {
          return null;
        }
        prefixed = c;
      }
    }
    return prefixed;
  }

  /**
   * The only candidate made of the same underscore-separated words in another order
   * ({@code mmap_lock_read} for {@code mmap_read_lock}), else null: a transposition of words is
   * a closer slip than a few letters, which may land on another lock ({@code i_mmap_lock_read}).
   */
  private static String sameWords(String word, Collection<?> candidates) {
    if (word.indexOf('_') < 0) {
      return null;
    }
    List<String> words = sortedWords(word);
    String found = null;
    for (Object o : candidates) {
      String c = String.valueOf(o);
      if (!c.equals(word) && sortedWords(c).equals(words)) {
        if (found != null) {
          return null;
        }
        found = c;
      }
    }
    return found;
  }

  private static List<String> sortedWords(String s) {
    List<String> w = new ArrayList<>(Arrays.asList(s.split("_", -1)));
    Collections.sort(w);
    return w;
  }

  private static String closestWithin(String word, Collection<?> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object o : candidates) {
      String c = String.valueOf(o);
      int d = distance(word, c);
      if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
        best = c;
        bestDistance = d;
      }
    }
    int limit = Math.max(2, word.length() / 3);
    return bestDistance <= limit ? best : null;
  }

  /** "; did you mean 'x'?" or empty. */
  public static String didYouMean(String word, Collection<?> candidates) {
    String c = closest(word, candidates);
    return c == null ? "" : "; did you mean '" + c + "'?";
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
