/**
 * The simulated kernel state: files ({@code struct inode} / {@code address_space}) with
 * {@code i_size} and a sparse page cache of folios, processes ({@code mm_struct}) with VMAs and
 * 512-entry PTE pages with split page-table locks, the storage device and vmstat counters.
 * Everything is changed only through primitives, and memory grows with what is touched, not with
 * file size.
 */
package faultsim.kernel;
