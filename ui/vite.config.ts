/// <reference types="vitest/config" />
import { defineConfig, type Plugin, type Rolldown } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** An emitted file's text (a chunk's code, an asset's source). */
function textOf(out: Rolldown.OutputChunk | Rolldown.OutputAsset): string {
  return out.type === 'chunk' ? out.code : typeof out.source === 'string' ? out.source : new TextDecoder().decode(out.source);
}

/**
 * Fails the build if any emitted file names a remote URL: the app must work offline under `default-src 'self'`.
 * Allowed: XML namespace identifiers (never fetched) and the links inside Svelte's own error messages.
 */
function noRemoteUrls(): Plugin {
  const allowed = [/^http:\/\/www\.w3\.org\//, /^https:\/\/svelte\.dev\/e\//];
  return {
    name: 'dangan:no-remote-urls',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const [file, out] of Object.entries(bundle)) {
        const text = textOf(out);
        for (const m of text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi)) {
          const url = m[0];
          if (!url.startsWith('http')) continue;
          if (!allowed.some((re) => re.test(url))) this.error(`${file} contains a remote URL: ${url}`);
        }
      }
    },
  };
}

/**
 * Fails the build if the browser preview reaches ui/dist: `src/lib/api/recorded.ts`, its replies, Tauri's IPC mocks
 * (a chunk made of any of them), or the text the recorder writes into every recording (should the replies be
 * inlined some other way). `src/lib/api/index.ts` imports the preview only when `import.meta.env.DEV`.
 */
function noPreviewInRelease(): Plugin {
  const previewModules = /[\\/]src[\\/]lib[\\/]api[\\/]recorded|@tauri-apps[\\/]api[\\/]mocks/;
  const marker = 'recorded_replies.rs';
  return {
    name: 'dangan:no-preview-in-release',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const [file, out] of Object.entries(bundle)) {
        const module = out.type === 'chunk' ? out.moduleIds.find((id) => previewModules.test(id)) : undefined;
        if (module) this.error(`${file} contains the browser preview's ${module}, which is for npm run dev only`);
        if (textOf(out).includes(marker)) this.error(`${file} contains recorded replies (${marker}), which are for npm run dev only`);
      }
    },
  };
}

/**
 * ECharts under the shell's `freezePrototype` (src-tauri/tauri.conf.json: `Object.prototype` is frozen in the
 * release window). While it loads, ECharts copies every enumerable name of two classes' prototypes onto plain
 * objects (`mockMethods` in `echarts/lib/core/Scheduler.js`); one of those names is `constructor` (made enumerable by
 * its compiled `extends`), and assigning it over the frozen `Object.prototype.constructor` throws, so ECharts would
 * never load. The same copy, made by defining each property instead of assigning it, works either way. Applied to the
 * build and to the dev server's pre-bundling alike; a build of an ECharts whose code changed fails here, to be looked
 * at again.
 */
function echartsUnderFrozenPrototype(): Plugin {
  const file = /[\\/]echarts[\\/]lib[\\/]core[\\/]Scheduler\.js$/;
  const assign = 'target[name_1] = noop;';
  const define = 'Object.defineProperty(target, name_1, { value: noop, writable: true, enumerable: true, configurable: true });';
  return {
    name: 'dangan:echarts-under-frozen-prototype',
    transform(code, id) {
      if (!file.test(id)) return null;
      if (!code.includes(assign)) this.error(`${id} no longer has \`${assign}\`: check ECharts under a frozen Object.prototype`);
      return { code: code.replace(assign, define), map: null };
    },
  };
}

// The Tauri shell loads ui/dist with the CSP `default-src 'self'` (images also from blob: URLs, for previews of
// attachments made in the page). `vite preview` sends the same policy, so a
// browser preview shows any inline script or style that the real window would refuse.
const csp = "default-src 'self'; img-src 'self' blob:";

export default defineConfig({
  plugins: [svelte(), echartsUnderFrozenPrototype(), noRemoteUrls(), noPreviewInRelease()],
  optimizeDeps: {
    rolldownOptions: { plugins: [echartsUnderFrozenPrototype()] },
  },
  // Relative asset URLs: the shell serves dist/ from its own origin, never from a CDN.
  base: './',
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: '127.0.0.1',
  },
  preview: {
    host: '127.0.0.1',
    headers: { 'Content-Security-Policy': csp },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['es2022', 'safari15'],
    // Never inline assets as data: URLs; everything is a file served from 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
    // ECharts (bar, line and funnel on a canvas) is one chunk of about 550 kB, loaded with the 统计 screen's first
    // chart (`statistics/StatChart.svelte`), never at start; the app's own chunk stays well under the default 500 kB.
    chunkSizeWarningLimit: 600,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
