/* Shared by every kernel file (the files are concatenated into one program). */

/* Reflection padding of 1: index -1 reads 1, index n reads n - 2.  Needs n >= 2. */
int reflect_index (int i, int n)
{
  return i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i);
}
