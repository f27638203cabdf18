package org.cjassessment.core.bt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;

/**
 * The strongly connected components of the "beats" graph (an edge winner → loser for every comparison). The plain
 * maximum-likelihood abilities exist, and are unique up to a constant, exactly when there is one component (Ford,
 * 1957). Components are numbered in a topological order of the condensation: if any essay of component p beat any
 * essay of component q, then p < q — so ranking by (component, score) never contradicts a judgement between
 * components.
 */
final class StrongComponents {

  final int[] componentOf;
  final int[] sizes;

  private StrongComponents(int[] componentOf, int[] sizes) {
    this.componentOf = componentOf;
    this.sizes = sizes;
  }

  int count() {
    return sizes.length;
  }

  boolean connected() {
    return sizes.length == 1;
  }

  static StrongComponents of(ComparisonData data) {
    int n = data.essays();
    Graph<Integer, DefaultEdge> beats = new SimpleDirectedGraph<>(DefaultEdge.class);
    for (int i = 0; i < n; i++) {
      beats.addVertex(i);
    }
    for (int r = 0; r < data.records(); r++) {
      int a = data.a[r];
      int b = data.b[r];
      if (data.winsA[r] > 0) {
        beats.addEdge(a, b);
      }
      if (data.winsA[r] < data.n[r]) {
        beats.addEdge(b, a);
      }
    }
    // JGraphT finds the components; their order is computed here on int indices, because JGraphT's
    // getCondensation() hashes whole subgraphs and turned a 10,000-essay fit into tens of seconds.
    List<Set<Integer>> sets = new KosarajuStrongConnectivityInspector<>(beats).stronglyConnectedSets();
    int count = sets.size();
    int[] raw = new int[n];
    int[] smallest = new int[count];
    for (int c = 0; c < count; c++) {
      smallest[c] = Integer.MAX_VALUE;
      for (int essay : sets.get(c)) {
        raw[essay] = c;
        smallest[c] = Math.min(smallest[c], essay);
      }
    }
    List<Set<Integer>> successors = new ArrayList<>(count);
    boolean[] touched = new boolean[count];
    for (int c = 0; c < count; c++) {
      successors.add(new java.util.HashSet<>());
    }
    int[] indegree = new int[count];
    for (DefaultEdge e : beats.edgeSet()) {
      int from = raw[beats.getEdgeSource(e)];
      int to = raw[beats.getEdgeTarget(e)];
      touched[from] = true;
      touched[to] = true;
      if (from != to && successors.get(from).add(to)) {
        indegree[to]++;
      }
    }
    // Kahn's algorithm; among ready components, never-compared essays last (nothing places them), then the one
    // with the smallest essay index: deterministic.
    java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>(Comparator
        .<Integer>comparingInt(c -> touched[c] ? 0 : 1)
        .thenComparingInt(c -> smallest[c]));
    for (int c = 0; c < count; c++) {
      if (indegree[c] == 0) {
        ready.add(c);
      }
    }
    int[] position = new int[count];
    int[] sizes = new int[count];
    int next = 0;
    while (!ready.isEmpty()) {
      int c = ready.poll();
      position[c] = next;
      sizes[next] = sets.get(c).size();
      next++;
      for (int d : successors.get(c)) {
        if (--indegree[d] == 0) {
          ready.add(d);
        }
      }
    }
    int[] componentOf = new int[n];
    for (int i = 0; i < n; i++) {
      componentOf[i] = position[raw[i]];
    }
    return new StrongComponents(componentOf, sizes);
  }

  /** Everything in one group: used when a prior makes the abilities identified whatever the graph. */
  static StrongComponents single(int n) {
    return new StrongComponents(new int[n], new int[] {n});
  }
}
