import dagre from '@dagrejs/dagre';
import type { Diagram } from './diagram-model';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface DiagramLayout {
  /** Top-left corner of each node, by id. */
  readonly positions: ReadonlyMap<string, Point>;
  readonly width: number;
  readonly height: number;
}

/**
 * Positions a diagram top to bottom with dagre (layered, like Conductor's own UI): ranks follow the
 * flow, branches sit side by side. A loop's way back is drawn but left out of the layout, so the
 * graph laid out is acyclic and the result is the same for the same diagram every time.
 */
export function layoutDiagram(diagram: Diagram): DiagramLayout {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of diagram.nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of diagram.edges) if (!edge.loopBack) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  const positions = new Map<string, Point>();
  for (const node of diagram.nodes) {
    const laid = graph.node(node.id) as { x: number; y: number } | undefined;
    positions.set(node.id, { x: Math.round((laid?.x ?? 0) - node.width / 2), y: Math.round((laid?.y ?? 0) - node.height / 2) });
  }
  const size = graph.graph() as { width?: number; height?: number };
  return { positions, width: size.width ?? 0, height: size.height ?? 0 };
}
