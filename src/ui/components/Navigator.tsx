import { Box, Text } from 'ink';
import { navLabel, type NavItem } from '../model/navTree.js';

export interface NavigatorProps {
  items: readonly NavItem[];
  cursor: number;
  width: number;
  height: number;
  active: boolean;
  filter: string;
}

/** The left pane: a scrolling window of the navigator list around the cursor. */
export function Navigator({ items, cursor, width, height, active, filter }: NavigatorProps) {
  const rows = Math.max(1, height - (filter ? 1 : 0));
  const top = Math.max(0, Math.min(cursor - Math.floor(rows / 2), items.length - rows));
  const visible = items.slice(top, top + rows);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderTop={false} borderBottom={false} borderLeft={false} borderColor={active ? 'cyan' : 'gray'}>
      {filter ? (
        <Text color="yellow" wrap="truncate">
          /{filter}
        </Text>
      ) : null}
      {visible.map((item, i) => {
        const index = top + i;
        const selected = index === cursor;
        if (item.kind === 'section') {
          return (
            <Text key={item.id} dimColor bold wrap="truncate">
              {item.label}
            </Text>
          );
        }
        return (
          <Text
            key={item.id}
            wrap="truncate"
            inverse={selected && active}
            underline={selected && !active}
            dimColor={item.kind === 'note'}
            color={item.kind === 'env' && item.protected ? 'red' : undefined}
          >
            {navLabel(item)}
          </Text>
        );
      })}
    </Box>
  );
}
