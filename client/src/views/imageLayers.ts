// The "Image Layers" tree: the images the last Build or Compare made, their real size beside the
// estimate, and the size of each layer from the image history (all as the server wrote them).
import * as vscode from 'vscode';
import type { ShownImage, ShownLayer } from '../../../server/src/protocol';

type Node =
  | { readonly kind: 'image'; readonly image: ShownImage }
  | { readonly kind: 'layer'; readonly layer: ShownLayer }
  | { readonly kind: 'note'; readonly text: string; readonly detail: string };

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
      return [...this.notes.map((n) => ({ kind: 'note' as const, ...n })), ...this.images.map((image) => ({ kind: 'image' as const, image }))];
    }
    if (node.kind === 'image') return node.image.layers.map((layer) => ({ kind: 'layer' as const, layer }));
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
      const { image } = node;
      const item = new vscode.TreeItem(`${image.label}: ${image.size}`, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${image.tag} · ${image.estimateNote} · built in ${image.seconds.toFixed(1)} s`;
      item.tooltip = `${image.tag}\n${image.image}\n${image.bytes} bytes\n${image.estimateNote}\nbuilder: ${image.builder}`;
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = 'slimfile.image';
      return item;
    }
    const item = new vscode.TreeItem(node.layer.size, vscode.TreeItemCollapsibleState.None);
    item.description = node.layer.createdBy || '(no command recorded)';
    item.tooltip = `${node.layer.bytes} bytes\n${node.layer.createdBy}`;
    item.iconPath = new vscode.ThemeIcon(node.layer.bytes > 0 ? 'layers' : 'circle-outline');
    return item;
  }
}
