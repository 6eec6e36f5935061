// Ansible's section headers: "TASK [name] ****" padded with stars to column 80.

const WIDTH = 79;

export function banner(title: string): string {
  return `${title} ${'*'.repeat(Math.max(3, WIDTH - title.length))}`;
}
