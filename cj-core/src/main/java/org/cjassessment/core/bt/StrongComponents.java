package org.cjassessment.core.bt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

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
    var inspector = new KosarajuStrongConnectivityInspector<>(beats);
    List<Set<Integer>> sets = inspector.stronglyConnectedSets();
    Graph<Graph<Integer, DefaultEdge>, DefaultEdge> condensation = inspector.getCondensation();
    Map<Graph<Integer, DefaultEdge>, Integer> smallest = new HashMap<>();
    for (Graph<Integer, DefaultEdge> component : condensation.vertexSet()) {
      smallest.put(component, component.vertexSet().stream().min(Integer::compare).orElseThrow());
    }
    // Ties between unrelated components: never-compared essays last (nothing places them), then by smallest index.
    Comparator<Graph<Integer, DefaultEdge>> tieBreak = Comparator
        .<Graph<Integer, DefaultEdge>>comparingInt(c -> condensation.degreeOf(c) == 0 && c.edgeSet().isEmpty() ? 1 : 0)
        .thenComparing(smallest::get);
    var order = new TopologicalOrderIterator<>(condensation, tieBreak);
    int[] componentOf = new int[n];
    List<Integer> sizes = new ArrayList<>(sets.size());
    int next = 0;
    while (order.hasNext()) {
      Graph<Integer, DefaultEdge> component = order.next();
      for (int essay : component.vertexSet()) {
        componentOf[essay] = next;
      }
      sizes.add(component.vertexSet().size());
      next++;
    }
    return new StrongComponents(componentOf, sizes.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Everything in one group: used when a prior makes the abilities identified whatever the graph. */
  static StrongComponents single(int n) {
    return new StrongComponents(new int[n], new int[] {n});
  }
}
