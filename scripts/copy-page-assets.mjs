// `npm run build`: the review page's static files (CSS) next to its compiled modules in dist/page/.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist/page', { recursive: true });
copyFileSync('src/feed/page/style.css', 'dist/page/style.css');
