// The "Image Layers" tree: the images the last Build or Compare made, their real size beside the
// estimate, and the size of each layer from the image history.
import * as vscode from 'vscode';
import type { BuiltImage, ImageLayer } from '../docker/build';
import { formatBytes } from '../../../server/src/analysis/estimate/sizes';

export interface ShownImage {
  readonly label: string;
  readonly image: BuiltImage;
  readonly estimate: number | undefined;
}

type Node =
  | { readonly kind: 'image'; readonly shown: ShownImage }
  | { readonly kind: 'layer'; readonly layer: ImageLayer }
  | { readonly kind: 'note'; readonly text: string; readonly detail: string };

export function estimateText(real: number, estimate: number | undefined): string {
  if (estimate === undefined) return 'no estimate';
  const off = ((estimate - real) / real) * 100;
  return `estimate ≈ ${formatBytes(estimate)} (${off >= 0 ? '+' : ''}${off.toFixed(1)}%)`;
}

export class ImageLayersProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private images: readonly ShownImage[] = [];
  private notes: ReadonlyArray<{ text: string; detail: string }> = [];

  show(images: readonly ShownImage[], notes: ReadonlyArray<{ text: string; detail: string }> = []): void {
    this.images = images;
    this.notes = notes;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return [...this.notes.map((n) => ({ kind: 'note' as const, ...n })), ...this.images.map((shown) => ({ kind: 'image' as const, shown }))];
    }
    if (node.kind === 'image') return node.shown.image.layers.map((layer) => ({ kind: 'layer' as const, layer }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.description = node.detail;
      item.iconPath = new vscode.ThemeIcon('arrow-down');
      return item;
    }
    if (node.kind === 'image') {
      const { image, estimate, label } = node.shown;
      const item = new vscode.TreeItem(`${label}: ${formatBytes(image.bytes)}`, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${image.tag} · ${estimateText(image.bytes, estimate)} · built in ${image.seconds.toFixed(1)} s`;
      item.tooltip = `${image.tag}\n${image.id}\n${image.bytes} bytes\n${estimateText(image.bytes, estimate)}\nbuilder: ${image.route}`;
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = 'slimfile.image';
      return item;
    }
    const item = new vscode.TreeItem(formatBytes(node.layer.bytes), vscode.TreeItemCollapsibleState.None);
    item.description = node.layer.createdBy || '(no command recorded)';
    item.tooltip = `${node.layer.bytes} bytes\n${node.layer.createdBy}`;
    item.iconPath = new vscode.ThemeIcon(node.layer.bytes > 0 ? 'layers' : 'circle-outline');
    return item;
  }
}
