// lazyfs: a FUSE passthrough filesystem that can forget what was not fsynced.
//
//   lazyfs <backing-dir> <mount-dir> [fuse options]
//
// Every operation goes straight to <backing-dir>, so reads see every write.
// Before a write (or a truncation) first changes a 4 KiB page of a file's
// last-fsynced content, that page's fsynced bytes are kept in memory (an
// all-zero page is kept as a flag, so ZooKeeper's 64 MiB zero pre-allocation
// costs nothing). fsync / fdatasync of a file forgets its kept pages: what is
// in the file now is durable. "crash" writes every kept page back and cuts
// every file to its last fsynced size: unsynced data and sizes are lost.
// Metadata (create, mkdir, rename, unlink, link, chmod, chown) is durable at
// once; a file created and never fsynced survives a crash empty.
//
// Control: the root-only file <mount-dir>/.lazyfs-control (absent from
// directory listings). Writing one command runs it before write() returns:
//   crash | fsync-delay-ms <N> | fail off|fsync|all
// Reading it gives one line of counters. Multi-threaded: one mutex guards the
// kept pages; the fsync delay is slept outside it.
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <fuse.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE_BYTES 4096
#define CONTROL_PATH "/.lazyfs-control"

enum fail_mode { FAIL_OFF = 0, FAIL_FSYNC = 1, FAIL_ALL = 2 };

static int root_fd = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int fsync_delay_ms;
static atomic_int fail_mode;
static unsigned long crash_count;
static unsigned long pages_lost_total;
static const char zero_page[PAGE_BYTES];
static char *const ZERO = (char *)zero_page; /* a kept page that was all zeros */

/* ---- kept pages of one file: open addressing, key = page index + 1 ---- */
struct page_map {
  uint64_t *keys;
  char **vals;
  size_t cap, len;
};

static char **map_slot(struct page_map *m, uint64_t page) {
  size_t i = (size_t)((page * 0x9E3779B97F4A7C15ull) & (m->cap - 1));
  while (m->keys[i] != 0 && m->keys[i] != page + 1) i = (i + 1) & (m->cap - 1);
  if (m->keys[i] == 0) return NULL;
  return &m->vals[i];
}

static int map_has(struct page_map *m, uint64_t page) {
  return m->cap != 0 && map_slot(m, page) != NULL;
}

static int map_put(struct page_map *m, uint64_t page, char *val);

static int map_grow(struct page_map *m) {
  struct page_map bigger = {0};
  bigger.cap = m->cap == 0 ? 64 : m->cap * 2;
  bigger.keys = calloc(bigger.cap, sizeof(uint64_t));
  bigger.vals = calloc(bigger.cap, sizeof(char *));
  if (bigger.keys == NULL || bigger.vals == NULL) {
    free(bigger.keys);
    free(bigger.vals);
    return -ENOMEM;
  }
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i] != 0) map_put(&bigger, m->keys[i] - 1, m->vals[i]);
  free(m->keys);
  free(m->vals);
  *m = bigger;
  return 0;
}

static int map_put(struct page_map *m, uint64_t page, char *val) {
  if ((m->len + 1) * 2 > m->cap) {
    int err = map_grow(m);
    if (err != 0) return err;
  }
  size_t i = (size_t)((page * 0x9E3779B97F4A7C15ull) & (m->cap - 1));
  while (m->keys[i] != 0) i = (i + 1) & (m->cap - 1);
  m->keys[i] = page + 1;
  m->vals[i] = val;
  m->len++;
  return 0;
}

static void map_clear(struct page_map *m) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i] != 0 && m->vals[i] != ZERO) free(m->vals[i]);
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof(*m));
}

/* ---- per-inode state of a file open for writing ---- */
struct file_state {
  dev_t dev;
  ino_t ino;
  int fd; /* our own O_RDWR descriptor, usable after every handle closed */
  off_t synced_size;
  struct page_map kept;
  int refs;
  int detached; /* unlinked or replaced: its data no longer matters */
  struct file_state *next;
};

static struct file_state *states;

struct handle {
  int fd;
  int control;
  int append;
  int sync_each_write; /* O_SYNC / O_DSYNC */
  struct file_state *st;
};

static struct handle *handle_of(struct fuse_file_info *fi) {
  return (struct handle *)(uintptr_t)fi->fh;
}

/* The backing descriptor of an open regular file, or -1 (no handle: a directory, the control file, a path call). */
static int fd_of(struct fuse_file_info *fi) {
  if (fi == NULL || fi->fh == 0) return -1;
  return handle_of(fi)->fd;
}

static const char *rel(const char *path) {
  return path[1] == '\0' ? "." : path + 1;
}

/* Needs lock. The state of the inode behind fd, or NULL (never written through the mount since its last fsync). */
static struct file_state *state_find(int fd) {
  struct stat sb;
  if (fstat(fd, &sb) != 0) return NULL;
  for (struct file_state *s = states; s != NULL; s = s->next)
    if (!s->detached && s->dev == sb.st_dev && s->ino == sb.st_ino) return s;
  return NULL;
}

/* Needs lock. Finds or makes the state of the inode behind fd; takes a ref. */
static int state_acquire(int fd, struct file_state **out) {
  struct stat sb;
  if (fstat(fd, &sb) != 0) return -errno;
  for (struct file_state *s = states; s != NULL; s = s->next) {
    if (!s->detached && s->dev == sb.st_dev && s->ino == sb.st_ino) {
      s->refs++;
      *out = s;
      return 0;
    }
  }
  char proc_path[64];
  snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", fd);
  int own = open(proc_path, O_RDWR | O_CLOEXEC);
  if (own < 0) return -errno;
  struct file_state *s = calloc(1, sizeof(*s));
  if (s == NULL) {
    close(own);
    return -ENOMEM;
  }
  s->dev = sb.st_dev;
  s->ino = sb.st_ino;
  s->fd = own;
  s->synced_size = sb.st_size;
  s->refs = 1;
  s->next = states;
  states = s;
  *out = s;
  return 0;
}

static void state_free(struct file_state *s) {
  struct file_state **p = &states;
  while (*p != NULL && *p != s) p = &(*p)->next;
  if (*p == s) *p = s->next;
  map_clear(&s->kept);
  close(s->fd);
  free(s);
}

/* Needs lock. Drops a ref; a clean state with no refs is forgotten. */
static void state_release(struct file_state *s) {
  s->refs--;
  if (s->refs > 0) return;
  struct stat sb;
  int clean = s->kept.len == 0 && fstat(s->fd, &sb) == 0 && sb.st_size == s->synced_size;
  if (s->detached || clean) state_free(s);
}

/* Needs lock. Marks the state of path's inode detached when its last link goes. */
static void detach_if_last_link(const char *path) {
  struct stat sb;
  if (fstatat(root_fd, rel(path), &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink > 1) return;
  for (struct file_state *s = states; s != NULL; s = s->next) {
    if (!s->detached && s->dev == sb.st_dev && s->ino == sb.st_ino) {
      s->detached = 1;
      if (s->refs == 0) state_free(s);
      return;
    }
  }
}

/* Needs lock. Keeps the fsynced bytes of every page in [off, off+len) not kept yet. */
static int keep_range(struct file_state *s, off_t off, off_t len) {
  if (len <= 0 || off >= s->synced_size) return 0;
  uint64_t first = (uint64_t)off / PAGE_BYTES;
  uint64_t last = (uint64_t)(off + len - 1) / PAGE_BYTES;
  uint64_t synced_last = (uint64_t)(s->synced_size - 1) / PAGE_BYTES;
  if (last > synced_last) last = synced_last;
  char buf[PAGE_BYTES];
  for (uint64_t p = first; p <= last; p++) {
    if (map_has(&s->kept, p)) continue;
    memset(buf, 0, sizeof(buf));
    ssize_t n = pread(s->fd, buf, PAGE_BYTES, (off_t)(p * PAGE_BYTES));
    if (n < 0) return -errno;
    char *val = ZERO;
    if (memcmp(buf, zero_page, PAGE_BYTES) != 0) {
      val = malloc(PAGE_BYTES);
      if (val == NULL) return -ENOMEM;
      memcpy(val, buf, PAGE_BYTES);
    }
    int err = map_put(&s->kept, p, val);
    if (err != 0) {
      if (val != ZERO) free(val);
      return err;
    }
  }
  return 0;
}

/* Needs lock. What the file holds now becomes its durable content. */
static void mark_synced(struct file_state *s) {
  struct stat sb;
  if (fstat(s->fd, &sb) == 0) s->synced_size = sb.st_size;
  map_clear(&s->kept);
}

/* Needs lock. Back to the last fsynced content and size. */
static int roll_back(struct file_state *s) {
  int err = 0;
  if (ftruncate(s->fd, s->synced_size) != 0) err = -errno;
  for (size_t i = 0; i < s->kept.cap; i++) {
    if (s->kept.keys[i] == 0) continue;
    off_t at = (off_t)((s->kept.keys[i] - 1) * PAGE_BYTES);
    off_t n = s->synced_size - at;
    if (n > PAGE_BYTES) n = PAGE_BYTES;
    if (n > 0 && pwrite(s->fd, s->kept.vals[i], (size_t)n, at) != n) err = -EIO;
  }
  pages_lost_total += s->kept.len;
  map_clear(&s->kept);
  return err;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* ---- control file ---- */
static int control_command(const char *cmd) {
  int value;
  char word[16];
  if (strcmp(cmd, "crash") == 0) {
    pthread_mutex_lock(&lock);
    int err = 0, files = 0;
    unsigned long before = pages_lost_total;
    struct file_state *s = states;
    while (s != NULL) {
      struct file_state *next = s->next;
      if (!s->detached) {
        int e = roll_back(s);
        if (e != 0) err = e;
        files++;
      }
      if (s->refs == 0) state_free(s);
      s = next;
    }
    crash_count++;
    fprintf(stderr, "lazyfs: crash: %d file(s) rolled back, %lu page(s) restored\n", files, pages_lost_total - before);
    pthread_mutex_unlock(&lock);
    return err;
  }
  if (sscanf(cmd, "fsync-delay-ms %d", &value) == 1 && value >= 0) {
    atomic_store(&fsync_delay_ms, value);
    fprintf(stderr, "lazyfs: fsync delay %d ms\n", value);
    return 0;
  }
  if (sscanf(cmd, "fail %15s", word) == 1) {
    int mode = strcmp(word, "off") == 0 ? FAIL_OFF : strcmp(word, "fsync") == 0 ? FAIL_FSYNC : strcmp(word, "all") == 0 ? FAIL_ALL : -1;
    if (mode < 0) return -EINVAL;
    atomic_store(&fail_mode, mode);
    fprintf(stderr, "lazyfs: fail %s\n", word);
    return 0;
  }
  return -EINVAL;
}

static int control_write(const char *buf, size_t size) {
  char cmd[128];
  if (size == 0) return 0;
  if (size >= sizeof(cmd)) return -EINVAL;
  memcpy(cmd, buf, size);
  size_t len = size;
  cmd[len] = '\0';
  while (len > 0 && (cmd[len - 1] == '\n' || cmd[len - 1] == ' ')) cmd[--len] = '\0';
  int err = control_command(cmd);
  return err != 0 ? err : (int)size;
}

static int control_read(char *buf, size_t size, off_t off) {
  char text[256];
  pthread_mutex_lock(&lock);
  int files = 0;
  size_t pages = 0;
  for (struct file_state *s = states; s != NULL; s = s->next) {
    if (s->detached) continue;
    struct stat sb;
    if (s->kept.len > 0 || (fstat(s->fd, &sb) == 0 && sb.st_size != s->synced_size)) files++;
    pages += s->kept.len;
  }
  static const char *const modes[] = {"off", "fsync", "all"};
  int len = snprintf(text, sizeof(text), "unsynced_files=%d kept_pages=%zu fsync_delay_ms=%d fail=%s crashes=%lu\n", files, pages,
                     atomic_load(&fsync_delay_ms), modes[atomic_load(&fail_mode)], crash_count);
  pthread_mutex_unlock(&lock);
  if (off >= len) return 0;
  size_t n = (size_t)(len - off) < size ? (size_t)(len - off) : size;
  memcpy(buf, text + off, n);
  return (int)n;
}

static int is_control(const char *path) {
  return path != NULL && strcmp(path, CONTROL_PATH) == 0;
}

/* ---- operations ---- */
static void *lfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
  (void)conn;
  cfg->use_ino = 1;
  cfg->nullpath_ok = 1;
  cfg->hard_remove = 1; /* no .fuse_hidden files in the node's data dir */
  cfg->direct_io = 1;   /* no kernel page cache: every read and write comes here */
  cfg->entry_timeout = 0;
  cfg->attr_timeout = 0;
  cfg->negative_timeout = 0;
  return NULL;
}

static int lfs_getattr(const char *path, struct stat *sb, struct fuse_file_info *fi) {
  if (is_control(path)) {
    memset(sb, 0, sizeof(*sb));
    sb->st_mode = S_IFREG | 0600;
    sb->st_nlink = 1;
    return 0;
  }
  int fd = fd_of(fi);
  int r = fd >= 0 ? fstat(fd, sb) : fstatat(root_fd, rel(path), sb, AT_SYMLINK_NOFOLLOW);
  return r == 0 ? 0 : -errno;
}

static int lfs_opendir(const char *path, struct fuse_file_info *fi) {
  struct handle *h = calloc(1, sizeof(*h));
  if (h == NULL) return -ENOMEM;
  h->fd = openat(root_fd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (h->fd < 0) {
    int err = -errno;
    free(h);
    return err;
  }
  fi->fh = (uint64_t)(uintptr_t)h;
  return 0;
}

static int lfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off, struct fuse_file_info *fi,
                       enum fuse_readdir_flags flags) {
  (void)path, (void)off, (void)flags;
  int fd = dup(handle_of(fi)->fd);
  if (fd < 0) return -errno;
  DIR *dir = fdopendir(fd);
  if (dir == NULL) {
    int err = -errno;
    close(fd);
    return err;
  }
  rewinddir(dir);
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    struct stat sb = {.st_ino = e->d_ino, .st_mode = (mode_t)DTTOIF(e->d_type)};
    if (filler(buf, e->d_name, &sb, 0, 0) != 0) break;
  }
  closedir(dir);
  return 0;
}

static int lfs_releasedir(const char *path, struct fuse_file_info *fi) {
  (void)path;
  struct handle *h = handle_of(fi);
  close(h->fd);
  free(h);
  return 0;
}

static void own_by_caller(const char *path) {
  if (geteuid() != 0) return;
  struct fuse_context *c = fuse_get_context();
  if (fchownat(root_fd, rel(path), c->uid, c->gid, AT_SYMLINK_NOFOLLOW) != 0) {
    /* best effort: the entry exists, owned by root */
  }
}

static int lfs_mkdir(const char *path, mode_t mode) {
  if (mkdirat(root_fd, rel(path), mode) != 0) return -errno;
  own_by_caller(path);
  return 0;
}

static int lfs_symlink(const char *target, const char *path) {
  if (symlinkat(target, root_fd, rel(path)) != 0) return -errno;
  own_by_caller(path);
  return 0;
}

static int lfs_readlink(const char *path, char *buf, size_t size) {
  ssize_t n = readlinkat(root_fd, rel(path), buf, size - 1);
  if (n < 0) return -errno;
  buf[n] = '\0';
  return 0;
}

static int lfs_unlink(const char *path) {
  if (is_control(path)) return -EPERM;
  pthread_mutex_lock(&lock);
  detach_if_last_link(path);
  int r = unlinkat(root_fd, rel(path), 0) == 0 ? 0 : -errno;
  pthread_mutex_unlock(&lock);
  return r;
}

static int lfs_rmdir(const char *path) {
  return unlinkat(root_fd, rel(path), AT_REMOVEDIR) == 0 ? 0 : -errno;
}

static int lfs_rename(const char *from, const char *to, unsigned int flags) {
  if (is_control(from) || is_control(to)) return -EPERM;
  pthread_mutex_lock(&lock);
  if ((flags & RENAME_EXCHANGE) == 0) detach_if_last_link(to);
  int r = syscall(SYS_renameat2, root_fd, rel(from), root_fd, rel(to), flags) == 0 ? 0 : -errno;
  pthread_mutex_unlock(&lock);
  return r;
}

static int lfs_link(const char *from, const char *to) {
  return linkat(root_fd, rel(from), root_fd, rel(to), 0) == 0 ? 0 : -errno;
}

static int lfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
  if (is_control(path)) return -EPERM;
  int r = fd_of(fi) >= 0 ? fchmod(fd_of(fi), mode) : fchmodat(root_fd, rel(path), mode, 0);
  return r == 0 ? 0 : -errno;
}

static int lfs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
  if (is_control(path)) return -EPERM;
  int r = fd_of(fi) >= 0 ? fchown(fd_of(fi), uid, gid) : fchownat(root_fd, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW);
  return r == 0 ? 0 : -errno;
}

static int lfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
  if (is_control(path)) return 0;
  int r = fd_of(fi) >= 0 ? futimens(fd_of(fi), tv) : utimensat(root_fd, rel(path), tv, AT_SYMLINK_NOFOLLOW);
  return r == 0 ? 0 : -errno;
}

/* Needs lock. Truncation through a state: keeps the fsynced pages it cuts. */
static int truncate_state(struct file_state *s, off_t size) {
  int err = keep_range(s, size, s->synced_size - size);
  if (err != 0) return err;
  return ftruncate(s->fd, size) == 0 ? 0 : -errno;
}

static int lfs_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
  if (is_control(path)) return 0;
  if (atomic_load(&fail_mode) == FAIL_ALL) return -EIO;
  int own = fd_of(fi) < 0;
  int fd = own ? openat(root_fd, rel(path), O_RDONLY | O_CLOEXEC) : fd_of(fi);
  if (fd < 0) return -errno;
  pthread_mutex_lock(&lock);
  struct file_state *s = NULL;
  int err = state_acquire(fd, &s);
  if (err == 0) {
    err = truncate_state(s, size);
    state_release(s);
  }
  pthread_mutex_unlock(&lock);
  if (own) close(fd);
  return err;
}

static int open_handle(const char *path, int flags, mode_t mode, int creating, struct fuse_file_info *fi) {
  struct handle *h = calloc(1, sizeof(*h));
  if (h == NULL) return -ENOMEM;
  if (is_control(path)) {
    h->control = 1;
    h->fd = -1;
    fi->fh = (uint64_t)(uintptr_t)h;
    return 0;
  }
  int writable = (flags & O_ACCMODE) != O_RDONLY;
  h->append = (flags & O_APPEND) != 0;
  h->sync_each_write = (flags & (O_SYNC | O_DSYNC)) != 0;
  int backing_flags = (flags & ~(O_TRUNC | O_APPEND | O_SYNC | O_DSYNC | O_DIRECT | O_ACCMODE)) | O_CLOEXEC | (writable ? O_RDWR : O_RDONLY);
  if (!creating) backing_flags &= ~(O_CREAT | O_EXCL);
  h->fd = openat(root_fd, rel(path), backing_flags, mode);
  if (h->fd < 0) {
    int err = -errno;
    free(h);
    return err;
  }
  if (creating) own_by_caller(path);
  int err = 0;
  if (writable || (flags & O_TRUNC) != 0) {
    pthread_mutex_lock(&lock);
    err = state_acquire(h->fd, &h->st);
    if (err == 0 && (flags & O_TRUNC) != 0) err = truncate_state(h->st, 0);
    pthread_mutex_unlock(&lock);
  }
  if (err != 0) {
    pthread_mutex_lock(&lock);
    if (h->st != NULL) state_release(h->st);
    pthread_mutex_unlock(&lock);
    close(h->fd);
    free(h);
    return err;
  }
  fi->fh = (uint64_t)(uintptr_t)h;
  return 0;
}

static int lfs_open(const char *path, struct fuse_file_info *fi) {
  return open_handle(path, fi->flags, 0, 0, fi);
}

static int lfs_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
  if (is_control(path)) return -EEXIST;
  return open_handle(path, fi->flags | O_CREAT, mode, 1, fi);
}

static int lfs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  (void)path;
  struct handle *h = handle_of(fi);
  if (h->control) return control_read(buf, size, off);
  if (atomic_load(&fail_mode) == FAIL_ALL) return -EIO;
  ssize_t n = pread(h->fd, buf, size, off);
  return n < 0 ? -errno : (int)n;
}

static int lfs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  (void)path;
  struct handle *h = handle_of(fi);
  if (h->control) return control_write(buf, size);
  if (atomic_load(&fail_mode) == FAIL_ALL) return -EIO;
  if (h->st == NULL) return -EBADF;
  if (h->sync_each_write) {
    /* An O_SYNC / O_DSYNC write is a write and an fsync: it is slowed and failed as one. */
    int delay = atomic_load(&fsync_delay_ms);
    if (delay > 0) sleep_ms(delay);
    if (atomic_load(&fail_mode) != FAIL_OFF) return -EIO;
  }
  pthread_mutex_lock(&lock);
  struct stat sb;
  int err = 0;
  if (h->append) err = fstat(h->fd, &sb) == 0 ? (off = sb.st_size, 0) : -errno;
  if (err == 0) err = keep_range(h->st, off, (off_t)size);
  ssize_t n = err == 0 ? pwrite(h->fd, buf, size, off) : 0;
  if (err == 0 && n < 0) err = -errno;
  if (err == 0 && h->sync_each_write) mark_synced(h->st);
  pthread_mutex_unlock(&lock);
  /* As in lfs_fsync: the backing file is synced too, so timing stays that of a real disk. */
  if (err == 0 && h->sync_each_write && fdatasync(h->fd) != 0) err = -errno;
  return err != 0 ? err : (int)n;
}

static int lfs_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)path;
  struct handle *h = handle_of(fi);
  if (h->control) return 0;
  int delay = atomic_load(&fsync_delay_ms);
  if (delay > 0) sleep_ms(delay);
  if (atomic_load(&fail_mode) != FAIL_OFF) return -EIO;
  /* fsync through any descriptor, a read-only one included, syncs the file (as on Linux). */
  pthread_mutex_lock(&lock);
  struct file_state *s = h->st != NULL ? h->st : state_find(h->fd);
  if (s != NULL) mark_synced(s);
  pthread_mutex_unlock(&lock);
  /* Durable in lazyfs's model from here; the backing file is synced too, so timing stays that of a real disk. */
  int r = datasync ? fdatasync(h->fd) : fsync(h->fd);
  return r == 0 ? 0 : -errno;
}

static int lfs_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)path, (void)datasync, (void)fi;
  int delay = atomic_load(&fsync_delay_ms);
  if (delay > 0) sleep_ms(delay);
  return atomic_load(&fail_mode) != FAIL_OFF ? -EIO : 0;
}

static int lfs_flush(const char *path, struct fuse_file_info *fi) {
  (void)path, (void)fi;
  return 0;
}

static int lfs_release(const char *path, struct fuse_file_info *fi) {
  (void)path;
  struct handle *h = handle_of(fi);
  if (h == NULL) return 0;
  if (h->st != NULL) {
    pthread_mutex_lock(&lock);
    state_release(h->st);
    pthread_mutex_unlock(&lock);
  }
  if (h->fd >= 0) close(h->fd);
  free(h);
  return 0;
}

static int lfs_statfs(const char *path, struct statvfs *sv) {
  (void)path;
  return fstatvfs(root_fd, sv) == 0 ? 0 : -errno;
}

static int lfs_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi) {
  (void)path, (void)mode, (void)off, (void)len, (void)fi;
  return -EOPNOTSUPP; /* callers fall back to writing zeros, which lazyfs tracks */
}

static const struct fuse_operations ops = {
    .init = lfs_init,
    .getattr = lfs_getattr,
    .opendir = lfs_opendir,
    .readdir = lfs_readdir,
    .releasedir = lfs_releasedir,
    .mkdir = lfs_mkdir,
    .symlink = lfs_symlink,
    .readlink = lfs_readlink,
    .unlink = lfs_unlink,
    .rmdir = lfs_rmdir,
    .rename = lfs_rename,
    .link = lfs_link,
    .chmod = lfs_chmod,
    .chown = lfs_chown,
    .utimens = lfs_utimens,
    .truncate = lfs_truncate,
    .open = lfs_open,
    .create = lfs_create,
    .read = lfs_read,
    .write = lfs_write,
    .fsync = lfs_fsync,
    .fsyncdir = lfs_fsyncdir,
    .flush = lfs_flush,
    .release = lfs_release,
    .statfs = lfs_statfs,
    .fallocate = lfs_fallocate,
};

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: lazyfs <backing-dir> <mount-dir> [fuse options]\n");
    return 2;
  }
  /* Unmount and exit when the harness that started us dies. */
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  root_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    perror(argv[1]);
    return 1;
  }
  umask(0);
  char *fuse_argv[64];
  int n = 0;
  fuse_argv[n++] = argv[0];
  fuse_argv[n++] = argv[2];
  fuse_argv[n++] = "-f";
  fuse_argv[n++] = "-o";
  fuse_argv[n++] = "allow_other,default_permissions,subtype=lazyfs,max_threads=16";
  for (int i = 3; i < argc && n < 63; i++) fuse_argv[n++] = argv[i];
  fuse_argv[n] = NULL;
  return fuse_main(n, fuse_argv, &ops, NULL);
}
