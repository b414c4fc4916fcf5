import { css } from '@emotion/css';

/** Read by screen readers, not shown: labels of controls whose meaning the layout shows. */
export const srOnly = css({
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
});
