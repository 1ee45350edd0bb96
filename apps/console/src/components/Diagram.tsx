import { memo, useMemo, type KeyboardEvent } from 'react';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { Diagram as DiagramModel, DiagramNode } from '../model/diagram-model';
import { layoutDiagram } from '../model/diagram-layout';
import { statusLabel, toneOf } from '../model/status';

interface NodeData extends Record<string, unknown> {
  readonly node: DiagramNode;
  readonly selected: boolean;
  readonly onSelect?: (node: DiagramNode) => void;
}

type FlowNode = Node<NodeData>;

const hidden = { opacity: 0, pointerEvents: 'none' as const };

function activate(event: KeyboardEvent, node: DiagramNode, onSelect?: (node: DiagramNode) => void) {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    onSelect?.(node);
  }
}

const TaskNode = memo(function TaskNode({ data }: NodeProps<FlowNode>) {
  const { node, selected, onSelect } = data;
  const tone = toneOf(node.status);
  const counts = node.folded ? Object.entries(node.folded.byStatus).map(([status, count]) => `${count} ${statusLabel(status).toLowerCase()}`).join(' · ') : undefined;
  return (
    <div
      className={`node tone-${tone} status-${tone}${selected ? ' selected' : ''}${node.dynamic ? ' dynamic' : ''}`}
      data-testid={`node-${node.ref ?? node.id}`}
      data-status={node.status}
      data-kind={node.kind}
      role="button"
      tabIndex={0}
      aria-label={`${node.ref ?? node.name}: ${node.type ?? node.kind}, ${statusLabel(node.status)}`}
      onClick={() => onSelect?.(node)}
      onKeyDown={(event) => activate(event, node, onSelect)}
    >
      <Handle type="target" position={Position.Top} style={hidden} />
      <span className="node-title" title={node.ref}>{node.kind === 'branches' ? node.name : node.ref}</span>
      <span className="node-meta">
        {node.kind === 'branches' ? <span>{counts}</span> : <span className="type">{node.type === 'SIMPLE' ? node.name : node.type}</span>}
        <span className="state">{statusLabel(node.status)}</span>
        {node.attempts > 1 && node.kind !== 'branches' && <span title="attempts">×{node.attempts}</span>}
        {node.selectedCase !== undefined && <span title="case taken">→ {node.selectedCase}</span>}
        {node.subWorkflowId && <span title="child execution">child ↗</span>}
      </span>
      <Handle type="source" position={Position.Bottom} style={hidden} />
    </div>
  );
});

const RoundNode = memo(function RoundNode({ data }: NodeProps<FlowNode>) {
  const { node } = data;
  return (
    <div className={`node-round tone-${toneOf(node.status)}`} data-testid={`node-${node.id}`} data-status={node.status} title={`${node.name}: ${statusLabel(node.status)}`}>
      <Handle type="target" position={Position.Top} style={hidden} />
      {node.kind === 'start' ? 'start' : 'end'}
      <Handle type="source" position={Position.Bottom} style={hidden} />
    </div>
  );
});

const LoopNode = memo(function LoopNode({ data }: NodeProps<FlowNode>) {
  const { node } = data;
  return (
    <div className={`node-loop tone-${toneOf(node.status)}`} data-testid={`loop-${node.ref}`}>
      <Handle type="target" position={Position.Top} style={hidden} />
      <Handle type="source" position={Position.Right} id="back" style={hidden} />
      ↻ {node.name}
      <Handle type="source" position={Position.Bottom} style={hidden} />
    </div>
  );
});

const nodeTypes = { task: TaskNode, round: RoundNode, loop: LoopNode };

export interface DiagramProps {
  readonly diagram: DiagramModel;
  readonly selectedId?: string;
  readonly onSelect?: (node: DiagramNode) => void;
  readonly height?: number;
}

/** A workflow laid out top to bottom, each node in its status colour; click or Enter opens a node. */
export function Diagram({ diagram, selectedId, onSelect, height }: DiagramProps) {
  const layout = useMemo(() => layoutDiagram(diagram), [diagram]);
  const edges = useMemo(
    (): Edge[] =>
      diagram.edges.map((edge) => {
        const colour = edge.taken ? 'var(--tone-success-line)' : 'var(--tone-idle-line)';
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          ...(edge.loopBack ? { sourceHandle: 'back', type: 'smoothstep' } : { type: 'smoothstep' }),
          ...(edge.label ? { label: edge.label, labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 4 } : {}),
          animated: false,
          style: { stroke: colour, strokeWidth: edge.taken ? 2.2 : 1.4, ...(edge.taken ? {} : { strokeDasharray: '5 4' }) },
          markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16 },
          focusable: false,
        };
      }),
    [diagram],
  );
  const nodes = useMemo(
    (): FlowNode[] =>
      diagram.nodes.map((node) => ({
        id: node.id,
        type: node.kind === 'start' || node.kind === 'end' ? 'round' : node.kind === 'loop-end' ? 'loop' : 'task',
        position: layout.positions.get(node.id) ?? { x: 0, y: 0 },
        data: { node, selected: node.id === selectedId, ...(onSelect ? { onSelect } : {}) },
        width: node.width,
        height: node.height,
        draggable: false,
        connectable: false,
        selectable: false,
        focusable: false,
      })),
    [diagram, layout, selectedId, onSelect],
  );
  return (
    <div className="diagram" style={{ height: height ?? Math.min(860, Math.max(360, layout.height + 60)) }} data-testid="diagram" data-nodes={diagram.nodes.length}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.08, maxZoom: 1.1, minZoom: 0.2 }}
        minZoom={0.05}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={diagram.nodes.length > 150}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={18} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
