// memfs asks the operating system for the user and group id on every file lookup: a system
// call, about 9% of a simulated run. A running process's ids do not change (nothing here
// calls setuid), so the first answers are kept.
const uid = process.getuid?.();
const gid = process.getgid?.();
if (uid !== undefined) process.getuid = () => uid;
if (gid !== undefined) process.getgid = () => gid;
export {};
