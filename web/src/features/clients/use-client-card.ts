import { useCallback, useState } from 'react';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';

/** What a company or contact card keeps while open: the editor (guarded against losing edits), the merge dialog and its result. */
export function useClientCard() {
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => setDirty(d), []);
  const confirm = useDiscardConfirm(dirty);
  const closeEditor = () => {
    setDirty(false);
    setEditing(false);
  };
  return {
    editing,
    merging,
    merged,
    onDirtyChange,
    confirm,
    closeEditor,
    guardedClose: () => confirm.guard(closeEditor),
    header: { onEdit: () => setEditing(true), onMerge: () => setMerging(true), merged, onMergedClose: () => setMerged(null) },
    closeMerge: () => setMerging(false),
    mergedDone: (leads: number) => {
      setMerging(false);
      setMerged(leads);
    },
  };
}
