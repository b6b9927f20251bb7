export function TeamBoardPage() {
  return null;
}
