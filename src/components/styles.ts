import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

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

/** A list of chosen values shown as removable chips (filter values, topic filters). */
export const getChipStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  }),
  item: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 0.5, 0, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.canvas,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
