/* Shared by every kernel file (the files are concatenated into one program). */

/* Reflection padding of 1: index -1 reads 1, index n reads n - 2.  Needs n >= 2. */
int reflect_index (int i, int n)
{
  return i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i);
}

/* The sum of every work item's v in a work group whose size is a power of
 * two, a tree in local memory (scratch: one float per item); every item gets
 * it, and scratch may be reused once this returns. */
float work_group_tree_sum (__local float *scratch, float v)
{
  const int lid = get_local_id (0), n = get_local_size (0);
  scratch[lid] = v;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (int step = n / 2; step > 0; step /= 2)
    {
      if (lid < step)
        scratch[lid] += scratch[lid + step];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  const float sum = scratch[0];
  barrier (CLK_LOCAL_MEM_FENCE);
  return sum;
}

/* Winograd's transformed input V (winograd.cl, winograd4.cl): V[e][c][p] of
 * the strip's P_pad tiles, in column blocks of `block` tiles. */
size_t winograd_v_index (int e, int c, int p, int C, int P_pad, int block)
{
  return (size_t) e * C * P_pad + (size_t) (p / block) * C * block + (size_t) c * block + p % block;
}

/* Zeroes the columns of V past the strip's tiles (p >= n_tiles) for channel c
 * and each of the E elements, so that no stale value reaches the products. */
void winograd_zero_padding (__global float *v, int E, int c, int n_tiles, int C, int P_pad, int block)
{
  for (int e = 0; e < E; e++)
    for (int p = n_tiles; p < P_pad; p++)
      v[winograd_v_index (e, c, p, C, P_pad, block)] = 0.0f;
}
