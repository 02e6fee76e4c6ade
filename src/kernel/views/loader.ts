import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';

/**
 * Finds templates by name: `<module>/page.njk` in that module's `views/` folder, anything else in
 * the kernel's templates or govuk-frontend. Only files under those folders can ever be read.
 */
export class TemplateLoader extends nunjucks.Loader {
  private readonly roots: string[];

  constructor(
    private readonly namespaces: Map<string, string>,
    private readonly searchPaths: string[],
    private readonly noCache: boolean,
  ) {
    super();
    this.roots = [...namespaces.values(), ...searchPaths].map((p) => path.resolve(p) + path.sep);
  }

  getSource(name: string): nunjucks.LoaderSource | null {
    const file = this.locate(name);
    if (!file) return null;
    return { src: fs.readFileSync(file, 'utf8'), path: file, noCache: this.noCache };
  }

  private locate(name: string): string | null {
    if (path.isAbsolute(name)) return this.allowed(name) && fs.existsSync(name) ? name : null;
    const [first, ...rest] = name.split('/');
    const moduleDir = first ? this.namespaces.get(first) : undefined;
    if (moduleDir) {
      const file = path.resolve(moduleDir, ...rest);
      return this.allowed(file) && fs.existsSync(file) ? file : null;
    }
    for (const base of this.searchPaths) {
      const file = path.resolve(base, name);
      if (this.allowed(file) && fs.existsSync(file)) return file;
    }
    return null;
  }

  private allowed(file: string): boolean {
    return this.roots.some((root) => file.startsWith(root));
  }
}
